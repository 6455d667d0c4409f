import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { signUp } from '../auth/auth-helpers';
import { describeForEachStore, freshIp, from, loginFrom, registerFrom, startModeratedApp } from './moderation-helpers';

describeForEachStore('rate limits', () => {
  describe('rate limits (LibreChat limiters, docs/moderation.md#rate-limits)', () => {
    let app: RunningApp;
    let http: HttpClient;

    beforeAll(async () => {
      app = await startModeratedApp({ LOGIN_MAX: '3', LOGIN_WINDOW: '2', REGISTER_MAX: '2', REGISTER_WINDOW: '60' });
      http = new HttpClient(app.url);
      await signUp(app, 'limits@example.com');
    });
    afterAll(() => app?.stop());

    it("MB-01: login answers 429 past LOGIN_MAX with LibreChat's message, RATE_LIMITED, Retry-After and RateLimit headers", async () => {
      const ip = freshIp();
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await loginFrom(http, ip, 'limits@example.com', 'wrong password');
        expect(res.status).toBe(401);
        expect(res.headers.get('ratelimit-limit')).toBe('3');
        remaining.push(res.headers.get('ratelimit-remaining') ?? '');
      }
      expect(remaining).toEqual(['2', '1', '0']);
      const limited = await loginFrom(http, ip, 'limits@example.com');
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', message: 'Too many login attempts, please try again after 2 minutes.' });
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(120);
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      // Even the right password waits for the window: the limit is per address, not per outcome.
      expect((await loginFrom(http, ip, 'limits@example.com')).status).toBe(429);
    });

    it("register answers 429 past REGISTER_MAX with LibreChat's message; limits are per route", async () => {
      const ip = freshIp();
      expect((await registerFrom(http, ip, 'r1@example.com')).status).toBe(200);
      expect((await registerFrom(http, ip, 'r2@example.com')).status).toBe(200);
      const limited = await registerFrom(http, ip, 'r3@example.com');
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', message: 'Too many accounts created, please try again after 60 minutes' });
      // The login bucket of the same address is untouched.
      expect((await loginFrom(http, ip, 'limits@example.com')).status).toBe(200);
    });

    it('MB-03: behind one trusted proxy, each client address has its own bucket', async () => {
      const [a, b] = [freshIp(), freshIp()];
      for (let i = 0; i < 3; i++) await loginFrom(http, a, 'limits@example.com', 'wrong password');
      expect((await loginFrom(http, a, 'limits@example.com')).status).toBe(429);
      expect((await loginFrom(http, b, 'limits@example.com')).status).toBe(200);
    });

    it('unlimited routes carry no rate-limit headers', async () => {
      const res = await http.get('/api/config', { headers: from(freshIp()) });
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    });
  });

  describe('rate limits with no trusted proxy', () => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await startModeratedApp({ TRUST_PROXY: 'false', LOGIN_MAX: '2' });
    });
    afterAll(() => app?.stop());

    it('MB-04: a spoofed X-Forwarded-For from an untrusted peer does not open new buckets', async () => {
      const http = new HttpClient(app.url);
      for (let i = 0; i < 2; i++) expect((await loginFrom(http, freshIp(), 'nobody@example.com', 'x')).status).toBe(401);
      const res = await loginFrom(http, freshIp(), 'nobody@example.com', 'x');
      expect(res.status).toBe(429);
      expect(res.body.code).toBe('RATE_LIMITED');
    });
  });
});

describe('RS-06: limits on the reset and verification routes', () => {
  let app: RunningApp;
  let http: HttpClient;

  beforeAll(async () => {
    app = await startModeratedApp({
      ALLOW_PASSWORD_RESET: 'true',
      RESET_PASSWORD_MAX: '2',
      RESET_PASSWORD_WINDOW: '2',
      VERIFY_EMAIL_MAX: '1',
      VERIFY_EMAIL_WINDOW: '3',
    });
    http = new HttpClient(app.url);
  });
  afterAll(() => app?.stop());

  const expectLimited = (res: { status: number; body: Record<string, unknown> }, minutes: number) => {
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ code: 'RATE_LIMITED', message: `Too many attempts, please try again after ${minutes} minute(s)` });
  };

  it('requestPasswordReset and resetPassword each have their own bucket (submission inherits RESET_PASSWORD_*)', async () => {
    const ip = freshIp();
    const request = () => http.post('/api/auth/requestPasswordReset', { json: { email: 'someone@example.com' }, headers: from(ip) });
    expect((await request()).status).toBe(200);
    expect((await request()).status).toBe(200);
    expectLimited(await request(), 2);
    const submit = () =>
      http.post('/api/auth/resetPassword', {
        json: { userId: '0'.repeat(24), token: 'x'.repeat(64), password: 'new password 1', confirm_password: 'new password 1' },
        headers: from(ip),
      });
    expect((await submit()).status).toBe(400);
    expect((await submit()).status).toBe(400);
    expectLimited(await submit(), 2);
  });

  it('verify/resend and verify are limited per address (submission inherits VERIFY_EMAIL_*)', async () => {
    const ip = freshIp();
    const resend = () => http.post('/api/user/verify/resend', { json: { email: 'someone@example.com' }, headers: from(ip) });
    expect((await resend()).status).toBe(200);
    expectLimited(await resend(), 3);
    const verify = () => http.post('/api/user/verify', { json: { email: 'someone@example.com', token: 'x'.repeat(64) }, headers: from(ip) });
    expect((await verify()).status).toBe(400);
    expectLimited(await verify(), 3);
  });
});
