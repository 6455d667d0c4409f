import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { signUp } from '../auth/auth-helpers';
import { describeForEachStore, freshIp, from, loginFrom, registerFrom, startModeratedApp } from './moderation-helpers';

describeForEachStore('rate limits', () => {
  describe('rate limits (LibreChat limiters, spec §4.2)', () => {
    let app: RunningApp;
    let http: HttpClient;

    beforeAll(async () => {
      app = await startModeratedApp({ LOGIN_MAX: '3', LOGIN_WINDOW: '2', REGISTER_MAX: '2', REGISTER_WINDOW: '60' });
      http = new HttpClient(app.url);
      await signUp(app, 'limits@example.com');
    });
    afterAll(() => app?.stop());

    it('MB-01: login answers 429 past LOGIN_MAX with LibreChat\'s message, RATE_LIMITED, Retry-After and RateLimit headers', async () => {
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

    it('register answers 429 past REGISTER_MAX with LibreChat\'s message; limits are per route', async () => {
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
