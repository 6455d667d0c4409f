import { githubProfile } from './github.profile';

describe('githubProfile', () => {
  const base = { id: 7, username: 'octo', displayName: 'Octo', photos: [{ value: 'https://avatars.example/7' }] };

  it('uses the primary address and its verified flag, never the public profile email', () => {
    const profile = githubProfile({
      ...base,
      emails: [
        { value: 'other@example.test', primary: false, verified: true },
        { value: 'main@example.test', primary: true, verified: false },
      ],
    });
    expect(profile).toEqual({ id: '7', email: 'main@example.test', emailVerified: false, name: 'Octo', username: 'octo', avatar: 'https://avatars.example/7' });
  });

  it('no primary address: no email at all (a verified secondary is not promoted)', () => {
    expect(githubProfile({ ...base, emails: [{ value: 'other@example.test', primary: false, verified: true }] })).toMatchObject({
      email: null,
      emailVerified: false,
    });
    expect(githubProfile({ ...base })).toMatchObject({ email: null, emailVerified: false });
  });
});
