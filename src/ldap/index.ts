export { LdapModule } from './ldap.module';
