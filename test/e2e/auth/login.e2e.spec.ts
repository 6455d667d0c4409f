import * as bcrypt from 'bcrypt';
import * as jwt from 'jsonwebtoken';
import { UserRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { PASSWORD, cookie, login, register, signUp, startAuthApp } from './auth-helpers';

const INVALID = { message: expect.any(String), code: 'INVALID_CREDENTIALS' };

describe('POST /api/auth/login', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAuthApp();
    await register(new HttpClient(app.url), 'admin@example.com');
    await register(new HttpClient(app.url), 'ada@example.com');
    await app.app.get(UserRepository).create({ email: 'social@example.com', provider: 'google', googleId: 'g1', password: null, emailVerified: true });
  });
  afterAll(() => app.stop());

  it('answers { token, user } with user.id and without password', async () => {
    const res = await login(new HttpClient(app.url), 'ada@example.com');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      token: expect.any(String),
      user: expect.objectContaining({ id: expect.any(String), _id: expect.any(String), email: 'ada@example.com' }),
    });
    expect(res.body.user.id).toBe(res.body.user._id);
    expect(res.body.user).not.toHaveProperty('password');
    expect(res.text).not.toMatch(/\$2[aby]\$/);
  });

  it("issues LibreChat's token shapes: access { id, username, provider, email } for SESSION_EXPIRY, refresh { id, sessionId }", async () => {
    const http = new HttpClient(app.url);
    const res = await login(http, 'ada@example.com');
    const access = jwt.decode(res.body.token, { complete: true });
    expect(access?.header).toMatchObject({ alg: 'HS256', typ: 'at+jwt' });
    const claims = access?.payload as jwt.JwtPayload;
    expect(claims).toMatchObject({ id: res.body.user.id, email: 'ada@example.com', provider: 'local', aud: 'gatehouse:access' });
    expect(claims).toHaveProperty('username');
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(15 * 60);
    const refresh = jwt.decode(http.jar.get('refreshToken') ?? '') as jwt.JwtPayload;
    expect(refresh).toMatchObject({ id: res.body.user.id, sessionId: expect.any(String) });
    expect(refresh.exp).toBe(Math.floor((cookie(res, 'refreshToken')?.expires?.getTime() ?? 0) / 1000));
  });

  it('SE-08 sets refreshToken and token_provider=librechat: HttpOnly, SameSite=Strict, Path=/, Expires, no Secure on localhost', async () => {
    const res = await login(new HttpClient(app.url), 'ada@example.com');
    const refresh = cookie(res, 'refreshToken');
    const provider = cookie(res, 'token_provider');
    expect(provider?.value).toBe('librechat');
    for (const c of [refresh, provider]) {
      expect(c).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', secure: false });
      expect(c?.expires?.getTime()).toBeGreaterThan(Date.now());
      expect(c?.domain).toBeUndefined();
    }
    expect(refresh?.value).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('EN-01/EN-02 unknown email, wrong password and a password-less account fail identically with 401 INVALID_CREDENTIALS', async () => {
    const attempts = [
      await login(new HttpClient(app.url), 'nobody@example.com', PASSWORD),
      await login(new HttpClient(app.url), 'ada@example.com', 'wrong password here'),
      await login(new HttpClient(app.url), 'social@example.com', PASSWORD),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual(INVALID);
      expect(res.setCookies).toEqual([]);
    }
    expect(new Set(attempts.map((r) => r.text)).size).toBe(1);
    const headerNames = attempts.map((r) => [...r.headers.keys()].sort().join(','));
    expect(new Set(headerNames).size).toBe(1);
  });

  it('SE-01 a second sign-in gives a new access token and a different refresh token', async () => {
    const http = new HttpClient(app.url);
    const first = await login(http, 'ada@example.com');
    const firstRefresh = http.jar.get('refreshToken');
    const second = await login(http, 'ada@example.com');
    expect(second.status).toBe(200);
    expect(second.body.token).not.toBe(first.body.token);
    expect(http.jar.get('refreshToken')).not.toBe(firstRefresh);
  });

  it('PW-06 a LibreChat $2a$ hash signs in and is re-hashed at the configured cost', async () => {
    const users = app.app.get(UserRepository);
    const legacy = (await bcrypt.hash('librechat password', 10)).replace(/^\$2b\$/, '$2a$');
    const created = await users.create({ email: 'legacy@example.com', password: legacy, emailVerified: true });
    const res = await login(new HttpClient(app.url), 'legacy@example.com', 'librechat password');
    expect(res.status).toBe(200);
    const stored = (await users.findById(created.id))?.password ?? '';
    expect(stored.startsWith('$2b$04$')).toBe(true);
    expect((await login(new HttpClient(app.url), 'legacy@example.com', 'librechat password')).status).toBe(200);
  });
});

describe('POST /api/auth/login: switches', () => {
  const MAIL = { EMAIL_HOST: '127.0.0.1', EMAIL_FROM: 'noreply@example.com' };

  it('unverified account: 403 EMAIL_NOT_VERIFIED only with the right password', async () => {
    const app = await startAuthApp(MAIL);
    try {
      const http = new HttpClient(app.url);
      await register(http, 'admin@example.com');
      await register(http, 'pending@example.com');
      expect((await app.app.get(UserRepository).findByEmail('pending@example.com'))?.emailVerified).toBe(false);
      const right = await login(http, 'pending@example.com');
      expect(right.status).toBe(403);
      expect(right.body).toEqual({ message: expect.any(String), code: 'EMAIL_NOT_VERIFIED' });
      expect(right.setCookies).toEqual([]);
      const wrong = await login(http, 'pending@example.com', 'wrong password here');
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual(INVALID);
    } finally {
      await app.stop();
    }
  });

  it('unverified account signs in with ALLOW_UNVERIFIED_EMAIL_LOGIN=true', async () => {
    const app = await startAuthApp({ ...MAIL, ALLOW_UNVERIFIED_EMAIL_LOGIN: 'true' });
    try {
      await register(new HttpClient(app.url), 'admin@example.com');
      const { user } = await signUp(app, 'pending@example.com');
      expect(user.emailVerified).toBe(false);
    } finally {
      await app.stop();
    }
  });

  it('answers 403 EMAIL_LOGIN_DISABLED with ALLOW_EMAIL_LOGIN=false', async () => {
    const app = await startAuthApp({ ALLOW_EMAIL_LOGIN: 'false' });
    try {
      const http = new HttpClient(app.url);
      await register(http, 'ada@example.com');
      const res = await login(http, 'ada@example.com');
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ message: expect.any(String), code: 'EMAIL_LOGIN_DISABLED' });
      expect(res.setCookies).toEqual([]);
    } finally {
      await app.stop();
    }
  });

  it('SE-08 marks both cookies Secure with SESSION_COOKIE_SECURE=true', async () => {
    const app = await startAuthApp({ SESSION_COOKIE_SECURE: 'true' });
    try {
      const http = new HttpClient(app.url);
      await register(http, 'ada@example.com');
      const res = await login(http, 'ada@example.com');
      expect(res.status).toBe(200);
      expect(cookie(res, 'refreshToken')?.secure).toBe(true);
      expect(cookie(res, 'token_provider')?.secure).toBe(true);
      // SE-10: a clearing cookie without Secure would not replace the Secure one.
      const out = await http.post('/api/auth/logout');
      expect(cookie(out, 'refreshToken')).toMatchObject({ secure: true, httpOnly: true, path: '/', sameSite: 'Strict' });
    } finally {
      await app.stop();
    }
  });
});
