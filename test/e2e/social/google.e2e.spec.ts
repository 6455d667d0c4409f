import { startApp, type RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { CLIENT_ORIGIN, fakeGoogle, providerEnv, sessionUser, socialLogin, startSocialApp, type FakeOAuthServer } from '../../support/social';
import { bearer } from '../auth/auth-helpers';

describe('Google sign-in against a fake Google (authorize, token, OpenID userinfo)', () => {
  let google: FakeOAuthServer;
  let app: RunningApp;

  beforeAll(async () => {
    google = await fakeGoogle({
      alice: {
        sub: '110248495921238986420',
        name: 'Alice Liddell',
        given_name: 'Alice',
        family_name: 'Liddell',
        picture: 'https://lh3.googleusercontent.com/a/alice',
        email: 'alice@example.test',
        email_verified: true,
        locale: 'en',
      },
    });
    app = await startSocialApp(providerEnv('GOOGLE', google));
  });
  afterAll(async () => {
    await app?.stop();
    await google?.stop();
  });

  it('/api/config: googleLoginEnabled, listed with its scopes; other providers off', async () => {
    const res = await new HttpClient(app.url).get('/api/config');
    expect(res.body).toMatchObject({
      googleLoginEnabled: true,
      githubLoginEnabled: false,
      discordLoginEnabled: false,
      facebookLoginEnabled: false,
      socialLoginEnabled: true,
    });
    expect(res.body.loginProviders).toEqual([
      expect.objectContaining({ name: 'google', label: 'Google', scopes: ['openid', 'profile', 'email'], loginPath: '/oauth/google' }),
    ]);
  });

  it('asks for openid profile email with state and PKCE S256, callback DOMAIN_SERVER + /oauth/google/callback (SO-04)', async () => {
    const http = new HttpClient(app.url);
    const start = await http.get('/oauth/google');
    expect(start.status).toBe(302);
    const url = new URL(start.location!);
    expect(url.origin + url.pathname).toBe(`${google.url}/o/oauth2/v2/auth`);
    expect(url.searchParams.get('scope')).toBe('openid profile email');
    expect(url.searchParams.get('redirect_uri')).toBe(`${app.url}/oauth/google/callback`);
    expect(url.searchParams.get('client_id')).toBe(google.clientId);
    expect(url.searchParams.get('state')!.length).toBeGreaterThanOrEqual(43);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    // The state rides in a sealed cookie, not readable in it.
    const tx = start.setCookies.find((c) => c.name.startsWith('oidc_tx_'))!;
    expect(tx.httpOnly).toBe(true);
    expect(tx.value).not.toContain(url.searchParams.get('state')!);
  });

  it('full flow: session, 302 DOMAIN_CLIENT, refresh and GET /api/user', async () => {
    const { http, callback } = await socialLogin(app, google, 'google', { login: 'alice' });
    expect(callback.status).toBe(302);
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    // The token request carried the PKCE verifier the fake checked against the challenge.
    expect(google.tokenRequests.at(-1)!.get('code_verifier')).toMatch(/^[\w-]{43}$/);
    const session = await sessionUser(http);
    expect(session.status).toBe(200);
    expect(session.user).toMatchObject({
      email: 'alice@example.test',
      provider: 'google',
      name: 'Alice Liddell',
      username: 'alice',
      emailVerified: true,
      avatar: 'https://lh3.googleusercontent.com/a/alice',
    });
    const me = await http.get('/api/user', bearer(session.token!));
    expect(me.status).toBe(200);
    expect(me.body.email).toBe('alice@example.test');
  });

  it('OC-11 a Google login started on one instance finishes on another (shared secrets and store)', async () => {
    const c = app.config;
    const other = await startApp({
      ...providerEnv('GOOGLE', google),
      ALLOW_SOCIAL_LOGIN: 'true',
      ALLOW_SOCIAL_REGISTRATION: 'true',
      JWT_SECRET: c.secrets.jwtSecret,
      JWT_REFRESH_SECRET: c.secrets.jwtRefreshSecret,
      CREDS_KEY: c.secrets.credsKey,
      ...(c.secrets.openidSessionSecret ? { OPENID_SESSION_SECRET: c.secrets.openidSessionSecret } : {}),
      DOMAIN_SERVER: c.server.domainServer,
      DOMAIN_CLIENT: c.server.domainClient,
      DATA_DIR: app.dataDir,
    });
    try {
      const http = new HttpClient(app.url);
      const start = await http.get('/oauth/google');
      const authorize = new URL(start.location!);
      const back = new URL((await new HttpClient(google.url).get(authorize.pathname + authorize.search)).location!);
      const elsewhere = new HttpClient(other.url);
      for (const [k, v] of Object.entries(http.jar.toObject())) elsewhere.jar.set(k, v, '/');
      const done = await elsewhere.get(back.pathname + back.search);
      expect(done.location).toBe(`${CLIENT_ORIGIN}/`);
      // The state it consumed is spent for the first instance too.
      const replay = await http.get(back.pathname + back.search);
      expect(replay.location).toBe(`${CLIENT_ORIGIN}/login?redirect=false&error=auth_failed`);
    } finally {
      await other.stop();
    }
  });

  it('the next login finds the same account by Google sub', async () => {
    const a = await sessionUser((await socialLogin(app, google, 'google', { login: 'alice' })).http);
    const b = await sessionUser((await socialLogin(app, google, 'google', { login: 'alice' })).http);
    expect(a.user!.id).toBe(b.user!.id);
  });
});
