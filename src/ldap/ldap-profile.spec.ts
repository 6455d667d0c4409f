import { ldapProfile } from './ldap-profile';

const none = { id: null, username: null, email: null, fullName: [] };

describe('ldapProfile', () => {
  it('maps LibreChat defaults and takes the first value of multi-valued attributes', () => {
    const p = ldapProfile(
      {
        dn: 'uid=ada,ou=people,dc=example,dc=org',
        attributes: { uid: ['ada'], mail: ['Ada@Example.org', 'other@example.org'], cn: ['Ada Lovelace'], givenname: ['Ada'] },
      },
      none,
    );
    expect(p).toEqual({ id: 'ada', email: 'Ada@Example.org', emailVerified: true, name: 'Ada Lovelace', username: 'ada', avatar: null });
  });

  it('honours LDAP_ID, LDAP_USERNAME, LDAP_EMAIL and LDAP_FULL_NAME', () => {
    const p = ldapProfile(
      { dn: 'x', attributes: { employeenumber: ['42'], uid: ['ada'], mail: ['a@x.org'], altmail: ['b@x.org'], givenname: ['Ada'], sn: ['Lovelace'] } },
      { id: 'employeeNumber', username: 'uid', email: 'altMail', fullName: ['givenName', 'sn'] },
    );
    expect(p).toMatchObject({ id: '42', username: 'ada', email: 'b@x.org', name: 'Ada Lovelace' });
  });

  it('LD-07 an entry without mail gets the unverified <username>@ldap.local address', () => {
    const p = ldapProfile({ dn: 'x', attributes: { uid: ['bob'], givenname: ['Bob'] } }, none);
    expect(p).toMatchObject({ id: 'bob', email: 'bob@ldap.local', emailVerified: false });
  });
});
