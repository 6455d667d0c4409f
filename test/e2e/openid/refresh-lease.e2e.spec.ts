import { startApp, type RunningApp } from '../../support/app.harness';
import { freePort } from '../../support/free-port';
import { HttpClient } from '../../support/http';
import { browserLogin, CLIENT_ORIGIN, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';

const REUSE = { OPENID_REUSE_TOKENS: 'true', OPENID_REUSE_MAX_SESSION_AGE_MS: '0' };

// Two app instances on one store (same DATA_DIR: database, key-value store, secrets) against the
// real provider with refresh-token rotation: a rotating refresh token spent twice makes the
// provider refuse the second use, so only a cross-instance lease keeps the session alive.
describe('token-reuse refresh across instances (one IdP refresh per login)', () => {
  let stack: OpenIdStack;
  let second: RunningApp;
  beforeAll(async () => {
    stack = await startOpenIdStack({ idp: { issueRefreshToken: 'always', rotateRefreshToken: true }, env: REUSE });
    second = await startApp({
      ALLOW_SOCIAL_LOGIN: 'true',
      ALLOW_SOCIAL_REGISTRATION: 'true',
      OPENID_CLIENT_ID: stack.client.client_id,
      OPENID_CLIENT_SECRET: stack.client.client_secret ?? '',
      OPENID_ISSUER: stack.op.issuer,
      OPENID_SCOPE: 'openid profile email',
      OPENID_SESSION_SECRET: 'openid-session-secret-for-tests-0123456789',
      DOMAIN_SERVER: stack.app.url,
      DOMAIN_CLIENT: CLIENT_ORIGIN,
      DATA_DIR: stack.app.dataDir,
      PORT: String(await freePort()),
      ...REUSE,
    });
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
  });

  const refreshGrants = async () => (await stack.op.stats())['/token:refresh_token'] ?? 0;

  it('TR-12 concurrent refreshes on two instances spend the rotating refresh token once; both answer with the same new token', async () => {
    const { http } = await browserLogin(stack);
    const cookie = Object.entries(http.jar.toObject())
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    const onSecond = new HttpClient(second.url);
    const before = await refreshGrants();
    const answers = await Promise.all([
      http.post('/api/auth/refresh'),
      onSecond.post('/api/auth/refresh', { headers: { cookie } }),
      onSecond.post('/api/auth/refresh', { headers: { cookie } }),
      http.post('/api/auth/refresh'),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.body.token).toEqual(expect.any(String));
    }
    expect(new Set(answers.map((r) => r.body.token)).size).toBe(1);
    expect(await refreshGrants()).toBe(before + 1);
    // The provider did not see a reused refresh token: the login keeps refreshing.
    const next = await http.post('/api/auth/refresh');
    expect(next.status).toBe(200);
    expect(next.body.token).toEqual(expect.any(String));
    expect(await refreshGrants()).toBe(before + 2);
  });

  it('TR-12 a request on the other instance that arrives after the refresh finished, still carrying the rotated-away token, gets its result without a second IdP refresh', async () => {
    const { http } = await browserLogin(stack);
    const stale = Object.entries(http.jar.toObject())
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    const before = await refreshGrants();
    const first = await http.post('/api/auth/refresh');
    expect(first.status).toBe(200);
    expect(await refreshGrants()).toBe(before + 1);
    // Sent before the browser stored the rotated cookie, answered by the other instance after the lease was released.
    const late = await new HttpClient(second.url).post('/api/auth/refresh', { headers: { cookie: stale } });
    expect(late.status).toBe(200);
    expect(late.body.token).toBe(first.body.token);
    expect(await refreshGrants()).toBe(before + 1);
    // Its cookie follows the rotation, so that browser's next refresh presents the current token.
    expect(late.setCookies.find((c) => c.name === 'refreshToken')?.value).toBe(http.jar.get('refreshToken'));
  });
});
