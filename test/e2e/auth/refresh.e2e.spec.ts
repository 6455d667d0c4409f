import * as jwt from 'jsonwebtoken';
import { SessionRepository, UserRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient, type HttpResponse } from '../../support/http';
import { bearer, cookie, isCleared, refreshWith, signIn, signUp, startAuthApp } from './auth-helpers';

const CLIENT = 'http://localhost:3090';

function expectClearedCookies(res: HttpResponse): void {
  expect(isCleared(cookie(res, 'refreshToken'))).toBe(true);
  expect(isCleared(cookie(res, 'token_provider'))).toBe(true);
}

describe('POST /api/auth/refresh', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAuthApp({ DOMAIN_CLIENT: CLIENT, DOMAIN_SERVER: 'http://localhost:3080' });
    await signUp(app, 'admin@example.com');
    await signUp(app, 'ada@example.com');
  });
  afterAll(() => app.stop());

  it('answers 200 text "Refresh token not provided" without a cookie', async () => {
    const res = await new HttpClient(app.url).post('/api/auth/refresh');
    expect(res.status).toBe(200);
    expect(res.text).toBe('Refresh token not provided');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('answers 401 INVALID_REFRESH_TOKEN to garbage and forged cookies and clears both cookies', async () => {
    const ada = await signIn(app, 'ada@example.com');
    const claims = jwt.decode(ada.refreshToken) as jwt.JwtPayload;
    const resign = (secret: string, overrides: Record<string, unknown> = {}) =>
      jwt.sign({ ...claims, ...overrides }, secret, { algorithm: 'HS256', header: { alg: 'HS256', typ: 'refresh+jwt' } });
    const cases = {
      garbage: 'not-a-token',
      tampered: `${ada.refreshToken.slice(0, -4)}AAAA`,
      otherSecret: resign('y'.repeat(64)),
      accessSecret: resign(app.config.secrets.jwtSecret),
      accessToken: ada.token,
      expiredOfLiveSession: resign(app.config.secrets.jwtRefreshSecret, { exp: Math.floor(Date.now() / 1000) - 3600 }),
      otherAudience: resign(app.config.secrets.jwtRefreshSecret, { aud: 'gatehouse:access' }),
      unknownSession: resign(app.config.secrets.jwtRefreshSecret, { sessionId: '00000000-0000-4000-8000-000000000000', jti: 'x' }),
    };
    for (const [label, token] of Object.entries(cases)) {
      const res = await refreshWith(app, token);
      expect({ label, status: res.status, body: res.body }).toEqual({
        label,
        status: 401,
        body: { message: expect.any(String), code: 'INVALID_REFRESH_TOKEN' },
      });
      expectClearedCookies(res);
    }
    // None of those attempts may have ended the genuine session.
    expect((await refreshWith(app, ada.refreshToken)).status).toBe(200);
  });

  it("rejects a genuine token presented with another user's id (signed claims must match the session)", async () => {
    const ada = await signIn(app, 'ada@example.com');
    const admin = await signIn(app, 'admin@example.com');
    const claims = jwt.decode(ada.refreshToken) as jwt.JwtPayload;
    const swapped = jwt.sign({ ...claims, id: admin.user.id }, app.config.secrets.jwtRefreshSecret, {
      algorithm: 'HS256',
      header: { alg: 'HS256', typ: 'refresh+jwt' },
    });
    const res = await refreshWith(app, swapped);
    expect(res.status).toBe(401);
  });

  it('SE-07 refresh fails once the user deleted the account', async () => {
    const bob = await signUp(app, 'bob@example.com');
    const otherDevice = await signIn(app, 'bob@example.com');
    expect((await bob.http.delete('/api/user/delete', bearer(bob.token))).status).toBe(200);
    const res = await refreshWith(app, otherDevice.refreshToken);
    expect(res.status).toBe(401);
    expectClearedCookies(res);
  });

  it('SE-07 refresh fails when the user row vanished behind the API, and the orphan session is dropped', async () => {
    const carol = await signUp(app, 'carol@example.com');
    await app.app.get(UserRepository).delete(carol.user.id);
    const res = await refreshWith(app, carol.refreshToken);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('INVALID_REFRESH_TOKEN');
    expect(await app.app.get(SessionRepository).listByUser(carol.user.id, new Date())).toHaveLength(0);
  });

  it('SE-06 a refresh cookie replayed after logout is rejected', async () => {
    const ada = await signIn(app, 'ada@example.com');
    expect((await ada.http.post('/api/auth/logout')).status).toBe(200);
    const res = await refreshWith(app, ada.refreshToken);
    expect(res.status).toBe(401);
  });

  it('SE-09 refuses cross-site refresh and logout with 403 CROSS_SITE_REQUEST and keeps the session', async () => {
    const ada = await signIn(app, 'ada@example.com');
    const hostile: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example' },
      { origin: 'http://localhost:3090.evil.example' },
    ];
    for (const headers of hostile) {
      for (const path of ['/api/auth/refresh', '/api/auth/logout']) {
        const http = new HttpClient(app.url);
        http.jar.set('refreshToken', ada.refreshToken);
        const res = await http.post(path, { headers });
        expect({ path, headers, status: res.status, code: res.body.code }).toEqual({ path, headers, status: 403, code: 'CROSS_SITE_REQUEST' });
        expect(res.setCookies).toEqual([]);
      }
    }
    const ok = await refreshWith(app, ada.refreshToken, { origin: CLIENT, 'sec-fetch-site': 'same-site' });
    expect(ok.status).toBe(200);
  });

  it('SE-09 only POST refreshes: GET /api/auth/refresh does not rotate', async () => {
    const ada = await signIn(app, 'ada@example.com');
    const res = await ada.http.get('/api/auth/refresh');
    expect(res.status).toBe(404);
    expect(res.setCookies).toEqual([]);
  });
});
