import { claimAt, displayNameOf, emailOf, roleValues, usernameOf } from './claims';

const NONE = { username: null, name: null, email: null };

describe('OpenID claim mapping (docs/librechat-differences.md#environment-variables)', () => {
  it('reads dotted paths and namespaced keys', () => {
    const claims = { realm_access: { roles: ['a'] }, 'https://example.com/roles': ['b'] };
    expect(claimAt(claims, 'realm_access.roles')).toEqual(['a']);
    expect(claimAt(claims, 'https://example.com/roles')).toEqual(['b']);
    expect(claimAt(claims, 'realm_access.missing.deeper')).toBeUndefined();
  });

  it('splits string roles on spaces and commas; exact values only', () => {
    expect(roleValues('admin, chat-user  x')).toEqual(['admin', 'chat-user', 'x']);
    expect(roleValues(['a', 1, 'b'])).toEqual(['a', 'b']);
    expect(roleValues({})).toEqual([]);
  });

  it('falls back email → preferred_username → upn, unless OPENID_EMAIL_CLAIM says otherwise', () => {
    expect(emailOf({ upn: 'u@x.test' }, NONE)).toBe('u@x.test');
    expect(emailOf({ email: 'e@x.test', mail: 'm@x.test' }, { ...NONE, email: 'mail' })).toBe('m@x.test');
  });

  it('builds username and display name from the configured claims or the defaults', () => {
    expect(usernameOf({ preferred_username: 'pu', email: 'e@x.test' }, NONE)).toBe('pu');
    expect(usernameOf({ groups: ['a', 'b'] }, { ...NONE, username: 'groups' })).toBe('a_b');
    expect(displayNameOf({ given_name: 'Ada', family_name: 'Lovelace' }, NONE)).toBe('Ada Lovelace');
    expect(displayNameOf({ family_name: 'Lovelace' }, NONE)).toBe('Lovelace');
    expect(displayNameOf({ nickname: 'ada', given_name: 'Ada' }, { ...NONE, name: 'nickname' })).toBe('ada');
  });
});
