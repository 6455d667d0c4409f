import type { RunningApp } from '../../support/app.harness';
import {
  CLIENT_ORIGIN,
  FAILURE_URL,
  fakeFacebook,
  fakeGitHub,
  fakeGoogle,
  providerEnv,
  sessionUser,
  socialLogin,
  startSocialApp,
  type FakeOAuthServer,
} from '../../support/social';
import { UserRepository } from '../../../src/storage';

const googleUser = (sub: string, email: string | undefined, verified = true) => ({
  sub,
  name: `User ${sub}`,
  given_name: 'User',
  picture: `https://lh3.googleusercontent.com/a/${sub}`,
  ...(email ? { email, email_verified: verified } : {}),
});
const githubUser = (id: number, email: string, verified: boolean) => ({
  login: `gh${id}`,
  id,
  name: `GH ${id}`,
  avatar_url: `https://avatars.githubusercontent.com/u/${id}`,
  email: null,
  emails: [{ email, primary: true, verified, visibility: null }],
});

/** Account rules of the shared use case (docs/providers.md#account-rules-shared-by-every-oauth-provider; SO-01..SO-03). */
describe('social login account rules', () => {
  let google: FakeOAuthServer;
  let github: FakeOAuthServer;
  let facebook: FakeOAuthServer;
  let app: RunningApp;
  let users: UserRepository;

  beforeAll(async () => {
    google = await fakeGoogle({
      verifiedLocal: googleUser('g-1', 'local-verified@example.test'),
      unverifiedClaim: googleUser('g-2', 'local-verified2@example.test', false),
      toUnverifiedLocal: googleUser('g-3', 'local-unverified@example.test'),
      shared: googleUser('g-4', 'shared@example.test'),
      noEmail: googleUser('g-5', undefined),
      otherDomain: googleUser('g-6', 'eve@elsewhere.test'),
      manual: googleUser('g-7', 'manual@example.test'),
      // A second Google identity asserting the verified address of an account already linked to g-1.
      secondGoogle: googleUser('g-8', 'local-verified@example.test'),
    });
    github = await fakeGitHub({
      sharedVerified: githubUser(41, 'shared@example.test', true),
      sharedUnverified: githubUser(42, 'Shared@example.test', false),
    });
    facebook = await fakeFacebook({ shared: { id: '1001', name: 'Shared FB', email: 'shared@example.test' } });
    app = await startSocialApp({
      ...providerEnv('GOOGLE', google),
      ...providerEnv('GITHUB', github),
      ...providerEnv('FACEBOOK', facebook),
      REGISTRATION_ALLOWED_DOMAINS: 'example.test',
    });
    users = app.app.get(UserRepository);
    await users.create({ email: 'local-verified@example.test', name: 'Local', provider: 'local', password: null, emailVerified: true });
    await users.create({ email: 'local-verified2@example.test', name: 'Local 2', provider: 'local', password: null, emailVerified: true });
    await users.create({ email: 'local-unverified@example.test', name: 'Local 3', provider: 'local', password: null, emailVerified: false });
  });
  afterAll(async () => {
    await app?.stop();
    await google?.stop();
    await github?.stop();
    await facebook?.stop();
  });

  it('verified-email linking allowed: provider asserts verified and the local email is verified (SO-01)', async () => {
    const { http, callback } = await socialLogin(app, google, 'google', { login: 'verifiedLocal' });
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const session = await sessionUser(http);
    const local = await users.findByEmail('local-verified@example.test');
    expect(session.user!.id).toBe(local!.id);
    expect(local).toMatchObject({ googleId: 'g-1', provider: 'local', name: 'Local' });
  });

  it('an account already linked to one Google identity is not linked to a second one with the same email (SO-01)', async () => {
    await socialLogin(app, google, 'google', { login: 'verifiedLocal' });
    const { callback } = await socialLogin(app, google, 'google', { login: 'secondGoogle' });
    expect(callback.location).toBe(FAILURE_URL);
    expect((await users.findByEmail('local-verified@example.test'))!.googleId).toBe('g-1');
  });

  it('unverified-email linking refused: the provider does not assert email_verified (SO-01)', async () => {
    const { callback } = await socialLogin(app, google, 'google', { login: 'unverifiedClaim' });
    expect(callback.location).toBe(FAILURE_URL);
    expect(callback.setCookies.map((c) => c.name)).not.toContain('refreshToken');
    expect((await users.findByEmail('local-verified2@example.test'))!.googleId).toBeNull();
  });

  it('SO-05 an account whose own email was never verified is claimed by a verified identity, its credentials revoked first', async () => {
    const { http, callback } = await socialLogin(app, google, 'google', { login: 'toUnverifiedLocal' });
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const claimed = await users.findByEmail('local-unverified@example.test');
    expect((await sessionUser(http)).user!.id).toBe(claimed!.id);
    expect(claimed).toMatchObject({ googleId: 'g-3', emailVerified: true, password: null, expiresAt: null });
  });

  it('same email via two providers: verified GitHub primary links to the Google account; unverified GitHub and Facebook are refused (SO-02)', async () => {
    const first = await sessionUser((await socialLogin(app, google, 'google', { login: 'shared' })).http);
    expect(first.user).toMatchObject({ email: 'shared@example.test', provider: 'google' });

    const viaGitHub = await socialLogin(app, github, 'github', { login: 'sharedVerified' });
    expect(viaGitHub.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    expect((await sessionUser(viaGitHub.http)).user!.id).toBe(first.user!.id);

    // Another GitHub identity claiming the same (unverified) address: never a takeover.
    const unverified = await socialLogin(app, github, 'github', { login: 'sharedUnverified' });
    expect(unverified.callback.location).toBe(FAILURE_URL);
    // Facebook makes no verification claim, so it never links.
    const viaFacebook = await socialLogin(app, facebook, 'facebook', { login: 'shared' });
    expect(viaFacebook.callback.location).toBe(FAILURE_URL);
    const account = await users.findByEmail('shared@example.test');
    expect(account).toMatchObject({ googleId: 'g-4', githubId: '41', facebookId: null });
  });

  it('no email from the provider: a clear failure, no account (SO-03)', async () => {
    const before = await users.count();
    const { callback } = await socialLogin(app, google, 'google', { login: 'noEmail' });
    expect(callback.status).toBe(302);
    expect(callback.location).toBe(FAILURE_URL);
    expect(await users.count()).toBe(before);
  });

  it('domain not allowed: REGISTRATION_ALLOWED_DOMAINS applies to social logins', async () => {
    const { callback } = await socialLogin(app, google, 'google', { login: 'otherDomain' });
    expect(callback.location).toBe(FAILURE_URL);
    expect(await users.findByEmail('eve@elsewhere.test')).toBeNull();
  });

  it('a manually set avatar is kept on the next login; a provider avatar is refreshed', async () => {
    await socialLogin(app, google, 'google', { login: 'manual' });
    const created = (await users.findByEmail('manual@example.test'))!;
    expect(created.avatar).toBe('https://lh3.googleusercontent.com/a/g-7');
    google.users.manual.picture = 'https://lh3.googleusercontent.com/a/g-7-new';
    await socialLogin(app, google, 'google', { login: 'manual' });
    expect((await users.findById(created.id))!.avatar).toBe('https://lh3.googleusercontent.com/a/g-7-new');
    await users.update(created.id, { avatar: '/images/me.png?manual=true' });
    await socialLogin(app, google, 'google', { login: 'manual' });
    expect((await users.findById(created.id))!.avatar).toBe('/images/me.png?manual=true');
  });
});

describe('ALLOW_SOCIAL_REGISTRATION=false', () => {
  let google: FakeOAuthServer;
  let app: RunningApp;

  beforeAll(async () => {
    google = await fakeGoogle({ newcomer: googleUser('n-1', 'newcomer@example.test'), known: googleUser('k-1', 'known@example.test') });
    app = await startSocialApp({ ...providerEnv('GOOGLE', google), ALLOW_SOCIAL_REGISTRATION: 'false' });
    await app.app.get(UserRepository).create({ email: 'known@example.test', provider: 'google', googleId: 'k-1', emailVerified: true });
  });
  afterAll(async () => {
    await app?.stop();
    await google?.stop();
  });

  it('registration disabled: a new identity is refused and no account is created', async () => {
    const { callback } = await socialLogin(app, google, 'google', { login: 'newcomer' });
    expect(callback.location).toBe(FAILURE_URL);
    expect(await app.app.get(UserRepository).findByEmail('newcomer@example.test')).toBeNull();
  });

  it('an existing identity still signs in', async () => {
    const { http, callback } = await socialLogin(app, google, 'google', { login: 'known' });
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    expect((await sessionUser(http)).user).toMatchObject({ email: 'known@example.test' });
  });
});
