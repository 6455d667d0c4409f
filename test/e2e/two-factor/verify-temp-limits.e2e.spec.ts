import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { PASSWORD } from '../auth/auth-helpers';
import { describeForEachStore, expectBanned, freshIp, from, signUpFresh, startModeratedApp } from '../moderation/moderation-helpers';
import { enrol, holdClock, totpAt } from './two-factor-helpers';

async function passwordStepFrom(app: RunningApp, email: string): Promise<string> {
  const res = await new HttpClient(app.url).post('/api/auth/login', { json: { email, password: PASSWORD }, headers: from(freshIp()) });
  if (!res.body?.tempToken) throw new Error(`password step: ${res.status} ${res.text}`);
  return res.body.tempToken;
}

function verifyTemp(app: RunningApp, ip: string, body: Record<string, unknown>) {
  return new HttpClient(app.url).post('/api/auth/2fa/verify-temp', { json: body, headers: from(ip) });
}

describeForEachStore('verify-temp limits and bans (issue 14)', () => {
  let n = 0;
  const nextEmail = () => `limits${++n}-${process.pid}@example.com`;

  describe('limits', () => {
    let app: RunningApp;
    let clock: ReturnType<typeof holdClock>;
    beforeAll(async () => {
      app = await startModeratedApp({ TWO_FACTOR_TEMP_MAX: '3', TWO_FACTOR_TEMP_WINDOW: '2' });
    });
    beforeEach(() => {
      clock = holdClock(app, new Date('2031-07-01T10:00:00.000Z'));
    });
    afterEach(() => clock.restore());
    afterAll(() => app.stop());

    it('MF-14 one address is limited to TWO_FACTOR_TEMP_MAX attempts per window, whatever tokens it sends', async () => {
      const ip = freshIp();
      for (let i = 0; i < 3; i++) expect((await verifyTemp(app, ip, { tempToken: `garbage-${i}`, token: '123456' })).status).toBe(401);
      const limited = await verifyTemp(app, ip, { tempToken: 'garbage-x', token: '123456' });
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', message: 'Too many verification attempts, please try again after 2 minutes.' });
      clock.advance(2 * 60_000 + 1000);
      expect((await verifyTemp(app, ip, { tempToken: 'garbage-y', token: '123456' })).status).toBe(401);
    });

    it('MF-15 one user (one temp token) is limited across changing addresses', async () => {
      const email = nextEmail();
      const user = await signUpFresh(app, email);
      const { secret } = await enrol(user, clock.now());
      const tempToken = await passwordStepFrom(app, email);
      for (let i = 0; i < 3; i++)
        expect((await verifyTemp(app, freshIp(), { tempToken, token: '000000' === totpAt(secret, clock.now()) ? '111111' : '000000' })).status).toBe(401);
      // A fresh address with the right code: the user's own counter is exhausted.
      clock.advance(30_000);
      const limited = await verifyTemp(app, freshIp(), { tempToken, token: totpAt(secret, clock.now()) });
      expect(limited.status).toBe(429);
    });
  });

  describe('bans', () => {
    let app: RunningApp;
    let clock: ReturnType<typeof holdClock>;
    beforeAll(async () => {
      app = await startModeratedApp({
        TWO_FACTOR_TEMP_MAX: '1',
        TWO_FACTOR_TEMP_WINDOW: '1',
        BAN_VIOLATIONS: 'true',
        BAN_INTERVAL: '2',
        BAN_DURATION: '3600000',
      });
    });
    beforeEach(() => {
      clock = holdClock(app, new Date('2031-07-02T10:00:00.000Z'));
    });
    afterEach(() => clock.restore());
    afterAll(() => app.stop());

    it('MF-16 violations on verify-temp are scored for the user of the temp token; the ban is enforced on verify-temp and on login', async () => {
      const email = nextEmail();
      const user = await signUpFresh(app, email);
      const { secret } = await enrol(user, clock.now());
      const tempToken = await passwordStepFrom(app, email);
      const wrong = totpAt(secret, clock.now()) === '000000' ? '111111' : '000000';
      expect((await verifyTemp(app, freshIp(), { tempToken, token: wrong })).status).toBe(401);
      expect((await verifyTemp(app, freshIp(), { tempToken, token: wrong })).status).toBe(429);
      expect((await verifyTemp(app, freshIp(), { tempToken, token: wrong })).status).toBe(429);
      // Past the limit window, still inside the temp token's 5 minutes and the ban's hour.
      clock.advance(61_000);
      expectBannedAt(await verifyTemp(app, freshIp(), { tempToken, token: totpAt(secret, clock.now()) }), clock.now());
      const login = await new HttpClient(app.url).post('/api/auth/login', { json: { email, password: PASSWORD }, headers: from(freshIp()) });
      expectBannedAt(login, clock.now());
    });
  });
});

function expectBannedAt(res: Parameters<typeof expectBanned>[0], now: Date): void {
  expect(res.status).toBe(403);
  expect(res.body).toMatchObject({ code: 'BANNED' });
  expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(now.getTime());
}
