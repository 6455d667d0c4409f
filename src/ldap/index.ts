export { LdapModule } from './ldap.module';
export { LdapErrors } from './ldap.errors';
