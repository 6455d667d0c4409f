import { UserRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { PASSWORD, bearer, login, register, startAuthApp } from './auth-helpers';

const REGISTERED = { message: 'Please check your email to verify your email address.' };

async function accountsWith(app: RunningApp, email: string) {
  return (await app.app.get(UserRepository).list()).filter((u) => u.email === email);
}

describe('POST /api/auth/register', () => {
  let app: RunningApp;
  let http: HttpClient;
  beforeAll(async () => {
    app = await startAuthApp();
    http = new HttpClient(app.url);
    // Takes the first-user ADMIN role, so later accounts show what an ordinary sign-up gets.
    expect((await register(http, 'first@example.com')).status).toBe(200);
  });
  afterAll(() => app.stop());

  it('answers the LibreChat success message and sets no cookies', async () => {
    const res = await register(http, 'new@example.com');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(REGISTERED);
    expect(res.setCookies).toEqual([]);
  });

  it.each([
    ['a missing email', { name: 'N', password: PASSWORD }],
    ['an invalid email', { name: 'N', email: 'not-an-email', password: PASSWORD }],
    ['a missing password', { name: 'N', email: 'v1@example.com' }],
    ['a missing name', { email: 'v2@example.com', password: PASSWORD }],
    ['a numeric password', { name: 'N', email: 'v3@example.com', password: 12345678901 }],
  ])('rejects %s with 400 VALIDATION_FAILED (LibreChat sends 404: defect D-13)', async (_label, body) => {
    const res = await http.post('/api/auth/register', { json: body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: expect.any(String), code: 'VALIDATION_FAILED' });
  });

  it('rejects a confirm_password that differs with 400 PASSWORD_MISMATCH', async () => {
    const res = await register(http, 'mismatch@example.com', PASSWORD, { confirm_password: `${PASSWORD}!` });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: expect.any(String), code: 'PASSWORD_MISMATCH' });
    expect(await accountsWith(app, 'mismatch@example.com')).toHaveLength(0);
  });

  it('PW-01 rejects a password shorter than the policy with 400 PASSWORD_TOO_SHORT', async () => {
    const res = await register(http, 'short@example.com', 'seven77');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: expect.any(String), code: 'PASSWORD_TOO_SHORT' });
  });

  it('PW-02 accepts a 64-code-point passphrase with spaces, emoji and CJK, and signs in with it (also in NFD form)', async () => {
    const start = 'Ünïcødé pass phrase 🐴🔋📎 正しい馬の電池 ';
    const password = start + 'x'.repeat(64 - [...start].length);
    expect([...password]).toHaveLength(64);
    expect((await register(http, 'unicode@example.com', password)).status).toBe(200);
    expect((await login(new HttpClient(app.url), 'unicode@example.com', password)).status).toBe(200);
    expect((await login(new HttpClient(app.url), 'unicode@example.com', password.normalize('NFD'))).status).toBe(200);
  });

  it('PW-05 refuses a 1 MB password with 413 before any hashing', async () => {
    const res = await register(http, 'huge@example.com', 'p'.repeat(1024 * 1024));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ message: expect.any(String), code: 'PAYLOAD_TOO_LARGE' });
  });

  it('PW-08 answers 400 to query operators in the email of register and login', async () => {
    for (const path of ['/api/auth/register', '/api/auth/login']) {
      for (const email of [{ $gt: '' }, { $ne: null }]) {
        const res = await http.post(path, { json: { name: 'N', email, password: PASSWORD, confirm_password: PASSWORD } });
        expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 400, code: 'VALIDATION_FAILED' });
      }
    }
    const res = await http.post('/api/auth/login', { json: { email: 'first@example.com', password: { $ne: null } } });
    expect(res.status).toBe(400);
  });

  it('PW-10 one account for an email differing only in case', async () => {
    for (const email of ['Mixed.Case@Example.com', 'mixed.case@EXAMPLE.COM', 'MIXED.CASE@example.com']) {
      const res = await register(http, email);
      expect({ email, status: res.status, body: res.body }).toEqual({ email, status: 200, body: REGISTERED });
    }
    const accounts = await accountsWith(app, 'mixed.case@example.com');
    expect(accounts).toHaveLength(1);
  });

  it('PW-10 surrounding whitespace in the email is trimmed, not rejected: same generic reply, still one account', async () => {
    expect((await register(http, 'spaced@example.com')).status).toBe(200);
    const res = await register(http, '  Spaced@Example.com ');
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: REGISTERED });
    expect(await accountsWith(app, 'spaced@example.com')).toHaveLength(1);
    // Mobile keyboards append a space after autocompleted addresses.
    expect((await login(new HttpClient(app.url), 'spaced@example.com ')).status).toBe(200);
  });

  it('PW-10 ten parallel registrations of one email create one account and all get the same reply', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => register(new HttpClient(app.url), 'race@example.com')));
    expect(results.map((r) => [r.status, r.text])).toEqual(Array(10).fill([200, JSON.stringify(REGISTERED)]));
    expect(await accountsWith(app, 'race@example.com')).toHaveLength(1);
  });

  it('EN-04 an existing email is answered byte-identically to a new one', async () => {
    const fresh = await register(http, 'en04@example.com');
    const again = await register(http, 'en04@example.com', 'another password entirely');
    expect(again.status).toBe(fresh.status);
    expect(again.text).toBe(fresh.text);
    expect(again.headers.get('content-type')).toBe(fresh.headers.get('content-type'));
    expect(again.setCookies).toEqual(fresh.setCookies);
    // The second password must not have replaced the first.
    expect((await login(new HttpClient(app.url), 'en04@example.com')).status).toBe(200);
  });
});

describe('POST /api/auth/register: privileged fields (PW-09)', () => {
  let app: RunningApp;
  // Mail configured: new accounts start unverified, so an injected emailVerified would show.
  beforeAll(async () => {
    app = await startAuthApp({ EMAIL_HOST: '127.0.0.1', EMAIL_FROM: 'noreply@example.com', ALLOW_UNVERIFIED_EMAIL_LOGIN: 'true' });
  });
  afterAll(() => app.stop());

  it('PW-09 ignores role, emailVerified, provider and openidId in the body', async () => {
    const http = new HttpClient(app.url);
    expect((await register(http, 'owner@example.com')).status).toBe(200);
    const extra = { role: 'ADMIN', emailVerified: true, provider: 'openid', openidId: 'attacker-sub', googleId: 'g-attacker', _id: 'aaaaaaaaaaaaaaaaaaaaaaaa' };
    expect((await register(http, 'mallory@example.com', PASSWORD, extra)).status).toBe(200);

    const stored = await app.app.get(UserRepository).findByEmail('mallory@example.com');
    expect(stored).toMatchObject({ role: 'USER', emailVerified: false, provider: 'local', openidId: null, googleId: null });
    expect(stored?.id).not.toBe(extra._id);

    const polluted = '{"__proto__":{"role":"ADMIN","emailVerified":true},"name":"P","email":"proto@example.com","password":"correct horse battery"}';
    expect((await http.post('/api/auth/register', { body: polluted, headers: { 'content-type': 'application/json' } })).status).toBe(200);
    expect(await app.app.get(UserRepository).findByEmail('proto@example.com')).toMatchObject({ role: 'USER', emailVerified: false });

    const signedIn = await login(http, 'mallory@example.com');
    expect(signedIn.status).toBe(200);
    const me = await http.get('/api/user', bearer(signedIn.body.token));
    expect(me.body).toMatchObject({ role: 'USER', emailVerified: false, provider: 'local' });
  });
});

describe('POST /api/auth/register: switches', () => {
  it('answers 403 REGISTRATION_DISABLED with ALLOW_REGISTRATION=false', async () => {
    const app = await startAuthApp({ ALLOW_REGISTRATION: 'false' });
    try {
      const res = await register(new HttpClient(app.url), 'nobody@example.com');
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ message: expect.any(String), code: 'REGISTRATION_DISABLED' });
      expect(await app.app.get(UserRepository).count()).toBe(0);
    } finally {
      await app.stop();
    }
  });

  it('PW-11 REGISTRATION_ALLOWED_DOMAINS refuses other domains with 403 EMAIL_DOMAIN_NOT_ALLOWED', async () => {
    const app = await startAuthApp({ REGISTRATION_ALLOWED_DOMAINS: 'example.com' });
    try {
      const http = new HttpClient(app.url);
      expect((await register(http, 'ok@Example.com')).status).toBe(200);
      for (const email of ['eve@evil.com', 'eve@sub.example.com', 'eve@example.com.evil.com']) {
        const res = await register(http, email);
        expect({ email, status: res.status, body: res.body }).toEqual({
          email,
          status: 403,
          body: { message: expect.any(String), code: 'EMAIL_DOMAIN_NOT_ALLOWED' },
        });
      }
      expect(await app.app.get(UserRepository).count()).toBe(1);
    } finally {
      await app.stop();
    }
  });

  it('first-admin race: 8 simultaneous registrations on an empty store yield exactly one ADMIN', async () => {
    const app = await startAuthApp();
    try {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => register(new HttpClient(app.url), `racer${i}@example.com`)));
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
      const users = await app.app.get(UserRepository).list();
      expect(users).toHaveLength(8);
      expect(users.filter((u) => u.role === 'ADMIN')).toHaveLength(1);
      expect(users.filter((u) => u.role === 'USER')).toHaveLength(7);
    } finally {
      await app.stop();
    }
  });

  it('PW-12 after the first ADMIN deletes itself, the next stranger who registers is an ordinary USER', async () => {
    const app = await startAuthApp();
    try {
      const http = new HttpClient(app.url);
      expect((await register(http, 'founder@example.com')).status).toBe(200);
      const founder = await login(http, 'founder@example.com');
      expect(founder.body.user.role).toBe('ADMIN');
      expect((await http.delete('/api/user/delete', bearer(founder.body.token))).status).toBe(200);
      expect(await app.app.get(UserRepository).count()).toBe(0);

      const stranger = new HttpClient(app.url);
      expect((await register(stranger, 'stranger@example.com')).status).toBe(200);
      expect((await login(stranger, 'stranger@example.com')).body.user.role).toBe('USER');
    } finally {
      await app.stop();
    }
  });
});
