import { HttpClient } from '../../support/http';
import { bearer } from '../auth/auth-helpers';
import { browserLogin, cookiesSet, CLIENT_ORIGIN, FAILURE_URL, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';
import { completeLogin } from '../../support/oidc';
import { CookieJar } from '../../support/http/cookie-jar';
import { UserRepository } from '../../../src/storage';
import { startApp } from '../../support/app.harness';
import type { Env } from '../../../src/config';

/** The environment the stack's app was started with (for a second instance behind the same load balancer). */
function stackEnv(stack: OpenIdStack): Env {
  const c = stack.app.config;
  return {
    ALLOW_SOCIAL_LOGIN: 'true',
    ALLOW_SOCIAL_REGISTRATION: 'true',
    OPENID_CLIENT_ID: c.openid.clientId ?? '',
    OPENID_CLIENT_SECRET: c.openid.clientSecret ?? '',
    OPENID_ISSUER: c.openid.issuer ?? '',
    OPENID_SESSION_SECRET: c.secrets.openidSessionSecret ?? '',
    JWT_SECRET: c.secrets.jwtSecret,
    JWT_REFRESH_SECRET: c.secrets.jwtRefreshSecret,
    CREDS_KEY: c.secrets.credsKey,
    DOMAIN_SERVER: c.server.domainServer,
    DOMAIN_CLIENT: c.server.domainClient,
  };
}

// Cognito shape: OPENID_ISSUER written as the full /.well-known/openid-configuration URL,
// confidential client with client_secret_post, PKCE on (default), refresh tokens off.
describe('OpenID login (Cognito shape: well-known issuer URL, confidential client)', () => {
  let stack: OpenIdStack;

  beforeAll(async () => {
    stack = await startOpenIdStack({
      issuerInput: (issuer) => `${issuer}/.well-known/openid-configuration`,
      env: { OPENID_BUTTON_LABEL: 'Sign in with Cognito', OPENID_IMAGE_URL: 'https://example.test/logo.png', OPENID_AUTO_REDIRECT: 'true' },
      accounts: [
        {
          accountId: 'alice',
          claims: { email: 'alice@example.test', email_verified: true, given_name: 'Alice', family_name: 'Liddell', preferred_username: 'alice' },
        },
        { accountId: 'bob', claims: { email: 'bob@example.test', email_verified: true, name: 'Bob', preferred_username: 'bob' } },
        { accountId: 'carol', claims: { email: 'carol@example.test', email_verified: false, preferred_username: 'carol' } },
        { accountId: 'dave', claims: { email: 'Dave@Example.test', email_verified: true, preferred_username: 'dave' } },
      ],
    });
  });
  afterAll(() => stack?.stop());

  it('/api/config advertises OpenID with the configured label, image and auto-redirect', async () => {
    const res = await new HttpClient(stack.app.url).get('/api/config');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      openidLoginEnabled: true,
      openidLabel: 'Sign in with Cognito',
      openidImageUrl: 'https://example.test/logo.png',
      openidAutoRedirect: true,
      socialLoginEnabled: true,
    });
  });

  it('sends an authorization request with state, nonce, PKCE S256, scope and a fixed redirect_uri (OC-03, OC-08)', async () => {
    const http = new HttpClient(stack.app.url);
    const res = await http.get('/oauth/openid', { headers: { host: 'evil.example' } });
    expect(res.status).toBe(302);
    const url = new URL(res.location!);
    expect(url.origin + url.pathname).toBe(`${stack.op.issuer}/auth`);
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe('gatehouse');
    expect(q.get('redirect_uri')).toBe(`${stack.app.url}/oauth/openid/callback`);
    expect(q.get('scope')).toBe('openid profile email');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('state')!.length).toBeGreaterThanOrEqual(43);
    expect(q.get('nonce')!.length).toBeGreaterThanOrEqual(43);
    expect(q.has('audience')).toBe(false);
    // The transaction rides in a sealed cookie: nothing of it is readable.
    const tx = res.setCookies.find((c) => c.name.startsWith('oidc_tx_'))!;
    expect(tx.httpOnly).toBe(true);
    expect(tx.sameSite?.toLowerCase()).toBe('lax');
    expect(tx.value).not.toContain(q.get('state')!);
  });

  it('signs in a new user: session cookies, 302 to DOMAIN_CLIENT, then refresh and /api/user work', async () => {
    const { http, callback } = await browserLogin(stack, { login: 'alice' });
    expect(callback.status).toBe(302);
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    expect(cookiesSet(callback)).toEqual(expect.arrayContaining(['refreshToken', 'token_provider']));
    const refresh = await http.post('/api/auth/refresh');
    expect(refresh.status).toBe(200);
    expect(refresh.body.user).toMatchObject({ email: 'alice@example.test', provider: 'openid', name: 'Alice Liddell', username: 'alice', emailVerified: true });
    const me = await http.get('/api/user', bearer(refresh.body.token));
    expect(me.status).toBe(200);
    expect(me.body.email).toBe('alice@example.test');
  });

  it('finds the same account on the next login (sub + issuer)', async () => {
    const first = await browserLogin(stack, { login: 'bob' });
    const second = await browserLogin(stack, { login: 'bob' });
    const a = await first.http.post('/api/auth/refresh');
    const b = await second.http.post('/api/auth/refresh');
    expect(a.body.user.id).toBe(b.body.user.id);
  });

  it('two tabs can sign in at once; each finishes its own transaction (OC-11)', async () => {
    const http = new HttpClient(stack.app.url);
    const opJar = new CookieJar();
    const tab1 = await http.get('/oauth/openid');
    const tab2 = await http.get('/oauth/openid');
    const back1 = await completeLogin(tab1.location!, { login: 'alice', jar: opJar });
    const back2 = await completeLogin(tab2.location!, { login: 'alice', jar: opJar });
    const done2 = await http.get(back2.pathname + back2.search);
    const done1 = await http.get(back1.pathname + back1.search);
    expect(done1.location).toBe(`${CLIENT_ORIGIN}/`);
    expect(done2.location).toBe(`${CLIENT_ORIGIN}/`);
  });

  it('OC-11 a login started on one instance finishes on another (shared secret and store, no sticky sessions)', async () => {
    const other = await startApp({ ...stackEnv(stack), PORT: '0', DATA_DIR: stack.app.dataDir });
    try {
      const http = new HttpClient(stack.app.url);
      const start = await http.get('/oauth/openid');
      const back = await completeLogin(start.location!, { login: 'alice' });
      // The load balancer sends the callback to the other instance: same cookies, other process.
      const elsewhere = new HttpClient(other.url);
      for (const [k, v] of Object.entries(http.jar.toObject())) elsewhere.jar.set(k, v, '/');
      const done = await elsewhere.get(back.pathname + back.search);
      expect(done.location).toBe(`${CLIENT_ORIGIN}/`);
      // And the state it consumed is spent for the first instance too.
      const replay = await http.get(back.pathname + back.search);
      expect(replay.location).toBe(FAILURE_URL);
    } finally {
      await other.stop();
    }
  });

  it('abandoned attempts do not pile up cookies: at most 4 transactions, the newest ones', async () => {
    const http = new HttpClient(stack.app.url);
    let last;
    for (let i = 0; i < 8; i++) last = await http.get('/oauth/openid');
    const open = Object.keys(http.jar.toObject()).filter((n) => n.startsWith('oidc_tx_'));
    expect(open.length).toBeLessThanOrEqual(4);
    const back = await completeLogin(last!.location!, { login: 'alice' });
    expect((await http.get(back.pathname + back.search)).location).toBe(`${CLIENT_ORIGIN}/`);
  });

  it('refuses a replayed callback and a callback from another browser (OC-01)', async () => {
    const login = await browserLogin(stack, { login: 'alice' });
    expect(login.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    // Same browser, same URL again: the state was consumed.
    const replay = await login.http.get(login.redirectBack.pathname + login.redirectBack.search);
    expect(replay.status).toBe(302);
    expect(replay.location).toBe(FAILURE_URL);
    expect(cookiesSet(replay)).not.toContain('refreshToken');

    // A victim's callback URL opened in the attacker's browser (no transaction cookie).
    const http = new HttpClient(stack.app.url);
    const start = await http.get('/oauth/openid');
    const back = await completeLogin(start.location!, { login: 'alice' });
    const other = await new HttpClient(stack.app.url).get(back.pathname + back.search);
    expect(other.location).toBe(FAILURE_URL);
    expect(cookiesSet(other)).not.toContain('refreshToken');
  });

  it('refuses a callback without state, and a forged transaction cookie', async () => {
    const http = new HttpClient(stack.app.url);
    const res = await http.get('/oauth/openid/callback?code=abc');
    expect(res.location).toBe(FAILURE_URL);
    const start = await http.get('/oauth/openid');
    const state = new URL(start.location!).searchParams.get('state')!;
    const name = start.setCookies.find((c) => c.name.startsWith('oidc_tx_'))!.name;
    http.jar.set(name, `${Date.now()}:v1.AAAA.BBBB.CCCC`, '/oauth');
    const forged = await http.get(`/oauth/openid/callback?code=abc&state=${state}`);
    expect(forged.location).toBe(FAILURE_URL);
  });

  it('turns error=access_denied into the failure redirect, no session (OC-10)', async () => {
    const http = new HttpClient(stack.app.url);
    const start = await http.get('/oauth/openid');
    const back = await completeLogin(start.location!, { login: 'alice', consent: false });
    expect(back.searchParams.get('error')).toBe('access_denied');
    const res = await http.get(back.pathname + back.search);
    expect(res.status).toBe(302);
    expect(res.location).toBe(FAILURE_URL);
    expect(cookiesSet(res)).not.toContain('refreshToken');
  });

  it('refuses an authorization response whose iss is not the issuer (OC-05)', async () => {
    const http = new HttpClient(stack.app.url);
    const start = await http.get('/oauth/openid');
    const back = await completeLogin(start.location!, { login: 'alice' });
    back.searchParams.set('iss', 'http://127.0.0.1:1/evil');
    const res = await http.get(back.pathname + back.search);
    expect(res.location).toBe(FAILURE_URL);
  });

  it('links an existing local account only on a verified email (TR-06)', async () => {
    // carol's provider does not assert email_verified: an existing carol@ account is not taken over.
    const users = stack.app.app.get(UserRepository);
    const carolLocal = await users.create({ email: 'carol@example.test', provider: 'local', password: null, emailVerified: true });
    const carol = await browserLogin(stack, { login: 'carol' });
    expect(carol.callback.location).toBe(FAILURE_URL);
    expect((await users.findById(carolLocal.id))?.openidId).toBeNull();

    // dave's provider asserts the (case-different) address as verified: the account is linked, not duplicated.
    const daveLocal = await users.create({ email: 'dave@example.test', provider: 'local', password: null, emailVerified: true });
    const dave = await browserLogin(stack, { login: 'dave' });
    expect(dave.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    const refresh = await dave.http.post('/api/auth/refresh');
    expect(refresh.body.user.id).toBe(daveLocal.id);
    expect(await users.findById(daveLocal.id)).toMatchObject({ openidId: 'dave', provider: 'openid', openidIssuer: stack.op.issuer });
  });

  it('unknown routes under /oauth answer 404 JSON', async () => {
    const res = await new HttpClient(stack.app.url).get('/oauth/nowhere');
    expect(res.status).toBe(404);
  });
});
