import { escapeFilterValue, userSearchFilter } from './ldap-filter';

describe('LDAP search filter', () => {
  it('LD-03 escapes the RFC 4515 specials so input stays one literal value', () => {
    expect(escapeFilterValue('*)(uid=*')).toBe('\\2a\\29\\28uid=\\2a');
    expect(escapeFilterValue('a\\b\u0000c')).toBe('a\\5cb\\00c');
    expect(escapeFilterValue('ada@example.com')).toBe('ada@example.com');
  });

  it('fills every {{username}} and wraps a bare filter', () => {
    expect(userSearchFilter('mail={{username}}', 'x*')).toBe('(mail=x\\2a)');
    expect(userSearchFilter('(|(uid={{username}})(mail={{username}}))', 'ada')).toBe('(|(uid=ada)(mail=ada))');
  });
});
