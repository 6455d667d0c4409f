import type { Profile } from '@node-saml/node-saml';
import { samlProfile } from './saml.profile';

const none = { email: null, username: null, givenName: null, familyName: null, picture: null, name: null };
const profile = (fields: Record<string, unknown>) => ({ issuer: 'idp', nameID: 'n-1', nameIDFormat: 'f', ...fields }) as unknown as Profile;

describe('samlProfile (LibreChat claim rules, docs/providers.md)', () => {
  it('reads the default attribute names and builds the name from given + family name', () => {
    expect(samlProfile(profile({ email: 'A@x.com', given_name: 'Ada', family_name: 'Lovelace', username: 'ada', picture: 'https://p/a.png' }), none)).toEqual({
      id: 'n-1',
      email: 'A@x.com',
      emailVerified: true,
      name: 'Ada Lovelace',
      username: 'ada',
      avatar: 'https://p/a.png',
    });
  });

  it('configured claims win, falling back to the default attribute when absent', () => {
    const claims = { ...none, email: 'mail', username: 'uid', name: 'cn' };
    expect(samlProfile(profile({ mail: 'm@x.com', uid: ['a', 'b'], cn: 'Full Name' }), claims)).toMatchObject({
      email: 'm@x.com',
      username: 'a_b',
      name: 'Full Name',
    });
    expect(samlProfile(profile({ email: 'e@x.com' }), claims)).toMatchObject({ email: 'e@x.com', username: 'e@x.com', name: 'e@x.com' });
  });

  it('falls back for name and username like LibreChat: given name, then username or email', () => {
    expect(samlProfile(profile({ email: 'e@x.com', given_name: 'Eve' }), none)).toMatchObject({ name: 'Eve', username: 'Eve' });
    expect(samlProfile(profile({ email: 'e@x.com', family_name: 'Doe' }), none)).toMatchObject({ name: 'Doe', username: 'e@x.com' });
  });

  it('without an email there is nothing to verify, and only https pictures become avatars', () => {
    expect(samlProfile(profile({ picture: 'javascript:alert(1)' }), none)).toMatchObject({ email: null, emailVerified: false, avatar: null });
  });
});
