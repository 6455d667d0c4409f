import { createHmac } from 'node:crypto';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { b64url, bearer, signAccessToken, signUp, startAuthApp, type SignedInClient } from './auth-helpers';

/** A correctly MAC'd token with arbitrary header and payload text, for shapes jwt.sign refuses. */
function handMade(secret: string, header: unknown, payload: unknown): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

describe('bearer authentication on GET /api/user', () => {
  let app: RunningApp;
  let ada: SignedInClient;
  let http: HttpClient;
  const now = () => Math.floor(Date.now() / 1000);
  const expect401 = async (token: string, code?: string) => {
    const res = await http.get('/api/user', bearer(token));
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 401, code: code ?? expect.stringMatching(/^TOKEN_/) });
    return res;
  };

  beforeAll(async () => {
    app = await startAuthApp();
    ada = await signUp(app, 'ada@example.com');
    http = new HttpClient(app.url);
  });
  afterAll(() => app.stop());

  it('accepts the access token from login (baseline for every rejection below)', async () => {
    expect((await http.get('/api/user', bearer(ada.token))).status).toBe(200);
    expect((await http.get('/api/user', bearer(signAccessToken(app, ada.user)))).status).toBe(200);
  });

  it('answers 401 TOKEN_MISSING without a token', async () => {
    const res = await http.get('/api/user');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: expect.any(String), code: 'TOKEN_MISSING' });
  });

  it('SE-12 ignores an access token in the query string', async () => {
    const res = await http.get(`/api/user?token=${ada.token}&access_token=${ada.token}`);
    expect(res.status).toBe(401);
  });

  it('JW-01 rejects alg none, with and without a signature', async () => {
    const claims = { id: ada.user.id, email: ada.user.email, aud: 'gatehouse:access', exp: now() + 600 };
    const unsigned = `${b64url({ alg: 'none', typ: 'at+jwt' })}.${b64url(claims)}`;
    await expect401(`${unsigned}.`, 'TOKEN_INVALID');
    await expect401(`${unsigned}.${ada.token.split('.')[2]}`, 'TOKEN_INVALID');
  });

  it('JW-07 rejects an expired token with 401 TOKEN_EXPIRED', async () => {
    const res = await expect401(signAccessToken(app, ada.user, { expSeconds: -3600 }), 'TOKEN_EXPIRED');
    expect(res.body).toEqual({ message: expect.any(String), code: 'TOKEN_EXPIRED' });
  });

  it('JW-07 rejects a token whose nbf lies in the future', async () => {
    await expect401(signAccessToken(app, ada.user, { extra: { nbf: now() + 3600 } }));
  });

  it('JW-07 rejects a token issued (iat) an hour in the future', async () => {
    await expect401(signAccessToken(app, ada.user, { extra: { iat: now() + 3600 }, expSeconds: 7200 }));
  });

  it('rejects a token signed with another secret with 401 TOKEN_INVALID', async () => {
    await expect401(signAccessToken(app, ada.user, { secret: 'x'.repeat(64) }), 'TOKEN_INVALID');
  });

  it('JW-03 rejects the refresh cookie JWT as a bearer token', async () => {
    expect(ada.refreshToken).toBeTruthy();
    await expect401(ada.refreshToken, 'TOKEN_INVALID');
  });

  it('JW-03 rejects an access-shaped token signed with JWT_REFRESH_SECRET', async () => {
    await expect401(signAccessToken(app, ada.user, { secret: app.config.secrets.jwtRefreshSecret }), 'TOKEN_INVALID');
  });

  it('JW-03 rejects a wrong or missing audience and a missing or wrong typ', async () => {
    for (const aud of ['gatehouse:refresh', 'librechat', null]) await expect401(signAccessToken(app, ada.user, { aud }), 'TOKEN_INVALID');
    for (const typ of [null, 'JWT', 'refresh+jwt']) await expect401(signAccessToken(app, ada.user, { typ }), 'TOKEN_INVALID');
  });

  it("JW-14 refuses a token without exp, and one whose audience is not (only) Gatehouse's", async () => {
    const secret = app.config.secrets.jwtSecret;
    const base = { id: ada.user.id, email: ada.user.email, username: null, provider: 'local', sid: null, iat: now() - 60 };
    const header = { alg: 'HS256', typ: 'at+jwt' };
    // Baseline: the same hand-made shape with exp and our audience is accepted.
    expect((await http.get('/api/user', bearer(handMade(secret, header, { ...base, aud: 'gatehouse:access', exp: now() + 600 })))).status).toBe(200);
    await expect401(handMade(secret, header, { ...base, aud: 'gatehouse:access' }), 'TOKEN_INVALID');
    await expect401(handMade(secret, header, { ...base, aud: ['gatehouse:access', 'billing-api'], exp: now() + 600 }), 'TOKEN_INVALID');
    await expect401(handMade(secret, header, { ...base, aud: 'billing-api', exp: now() + 600 }), 'TOKEN_INVALID');
    await expect401(handMade(secret, header, { ...base, aud: 'gatehouse:access', exp: String(now() + 600) }), 'TOKEN_INVALID');
  });

  it('JW-11 answers 401, never 500, to malformed tokens', async () => {
    const secret = app.config.secrets.jwtSecret;
    const header = { alg: 'HS256', typ: 'at+jwt' };
    const malformed = {
      twoParts: ada.token.split('.').slice(0, 2).join('.'),
      fourParts: `${ada.token}.x`,
      badBase64: '!!!.@@@.###',
      notJsonPayload: `${b64url(header)}.${b64url('not json')}.sig`,
      arrayPayload: handMade(secret, header, [ada.user.id, ada.user.email]),
      arrayHeader: handMade(secret, [header], { id: ada.user.id, email: ada.user.email, aud: 'gatehouse:access', exp: now() + 600 }),
      numericId: handMade(secret, header, { id: 42, email: ada.user.email, aud: 'gatehouse:access', exp: now() + 600 }),
      unknownUserId: signAccessToken(app, { id: 'ffffffffffffffffffffffff', email: 'ghost@example.com' }),
      nonHexUserId: signAccessToken(app, { id: "'; DROP TABLE users; --", email: 'x@example.com' }),
      garbage10k: 'A'.repeat(10 * 1024),
    };
    for (const [label, token] of Object.entries(malformed)) {
      const res = await http.get('/api/user', bearer(token));
      expect({ label, status: res.status, code: res.body.code }).toEqual({ label, status: 401, code: expect.stringMatching(/^TOKEN_/) });
    }
  });

  it('JW-11 rejects a validly signed token naming an unknown critical header parameter', async () => {
    const header = { alg: 'HS256', typ: 'at+jwt', crit: ['urn:example:must-understand'], 'urn:example:must-understand': true };
    const token = handMade(app.config.secrets.jwtSecret, header, {
      id: ada.user.id,
      email: ada.user.email,
      aud: 'gatehouse:access',
      iat: now(),
      exp: now() + 600,
    });
    await expect401(token);
  });

  it("rejects a deleted user's still-valid token", async () => {
    const gone = await signUp(app, 'gone@example.com');
    expect((await http.get('/api/user', bearer(gone.token))).status).toBe(200);
    expect((await http.delete('/api/user/delete', bearer(gone.token))).status).toBe(200);
    await expect401(gone.token, 'TOKEN_INVALID');
  });

  it('serves /health and /api/config without a token, and treats a bad token there as anonymous', async () => {
    expect((await http.get('/health')).status).toBe(200);
    expect((await http.get('/api/config')).status).toBe(200);
    expect((await http.get('/api/config', bearer('A'.repeat(100)))).status).toBe(200);
    expect((await http.get('/api/config', bearer(signAccessToken(app, ada.user, { expSeconds: -3600 })))).status).toBe(200);
  });
});
