import { Clock } from '../../../src/common/clock';
import { RECENT_LOOKUP_MS } from '../../../src/common/recent-cache';
import type { RunningApp } from '../../support/app.harness';
import { ensureBuilt, runCli } from '../../support/cli.harness';
import { holdClock } from '../../support/clock';
import { HttpClient } from '../../support/http';
import { bearer, PASSWORD, refreshWith } from '../auth/auth-helpers';
import {
  cliEnvFor,
  describeForEachStore,
  expectBanned,
  freshIp,
  from,
  loginFrom,
  registerFrom,
  signInFresh,
  signUpFresh,
  startModeratedApp,
} from './moderation-helpers';

/** Scores cross BAN_INTERVAL=3 on the third limiter hit: LOGIN_MAX=1, so attempts 2, 3, 4 score. */
const BAN_ENV = { BAN_VIOLATIONS: 'true', BAN_INTERVAL: '3', BAN_DURATION: '1000 * 60 * 60', LOGIN_MAX: '1' };

async function provokeIpBan(http: HttpClient, ip: string, email: string): Promise<void> {
  for (let i = 0; i < 4; i++) await loginFrom(http, ip, email, 'wrong password');
}

describeForEachStore('bans', () => {
  describe('violations and bans', () => {
    let app: RunningApp;
    let http: HttpClient;
    const cli = (...args: string[]) => runCli(args, cliEnvFor(app));

    beforeAll(async () => {
      ensureBuilt();
      app = await startModeratedApp(BAN_ENV);
      http = new HttpClient(app.url);
      await signUpFresh(app, 'admin@example.com'); // the first account is ADMIN
    });
    afterAll(() => app?.stop());

    it('MB-01, MB-09: limiter hits score the address until it is banned; the ban is a 403 BANNED with its expiry', async () => {
      const ip = freshIp();
      await signUpFresh(app, 'mb01@example.com');
      expect((await loginFrom(http, ip, 'mb01@example.com', 'wrong')).status).toBe(401);
      expect((await loginFrom(http, ip, 'mb01@example.com', 'wrong')).status).toBe(429);
      expect((await loginFrom(http, ip, 'mb01@example.com', 'wrong')).status).toBe(429);
      // Third limiter hit: score 3 crosses BAN_INTERVAL; the limiter still answers 429 this time.
      expect((await loginFrom(http, ip, 'mb01@example.com', 'wrong')).status).toBe(429);
      expectBanned(await registerFrom(http, ip, 'someone-new@example.com'));
      const bans = await http.get('/api/admin/bans', bearer((await signInFresh(app, 'admin@example.com')).token));
      expect(bans.status).toBe(200);
      expect(bans.body).toEqual(expect.arrayContaining([expect.objectContaining({ key: `ip:${ip}`, type: 'logins', violationCount: 3 })]));
    });

    it("MB-02: failing logins with a victim's email from many addresses bans the addresses, never the victim", async () => {
      await signUpFresh(app, 'victim@example.com');
      for (let n = 0; n < 3; n++) await provokeIpBan(http, freshIp(), 'victim@example.com');
      const res = await loginFrom(http, freshIp(), 'victim@example.com');
      expect(res.status).toBe(200);
      expect(res.body.user.email).toBe('victim@example.com');
    });

    it('MB-08: a ban stops a live bearer token, the refresh cookie and password login; sessions are ended', async () => {
      const victim = await signUpFresh(app, 'mb08@example.com');
      expect((await victim.http.get('/api/user', bearer(victim.token))).status).toBe(200);
      const banned = await cli('ban-user', 'mb08@example.com', '2h');
      expect(banned.code).toBe(0);
      expect(banned.stdout).toMatch(/banned mb08@example\.com .* for 2h/);

      // The CLI is another process: the bearer path sees its ban within RECENT_LOOKUP_MS (LP-01).
      const later = jest.spyOn(app.app.get(Clock), 'now').mockImplementation(() => new Date(Date.now() + RECENT_LOOKUP_MS));
      try {
        expectBanned(await victim.http.get('/api/user', bearer(victim.token)));
      } finally {
        later.mockRestore();
      }
      const refreshed = await refreshWith(app, victim.refreshToken);
      expectBanned(refreshed);
      expect(refreshed.setCookies.find((c) => c.name === 'refreshToken')?.value).toBe('');
      expectBanned(await loginFrom(http, freshIp(), 'mb08@example.com'));
      // The wrong password still gets the generic answer: a ban reveals nothing to strangers.
      expect((await loginFrom(http, freshIp(), 'mb08@example.com', 'wrong')).status).toBe(401);

      const admin = await signInFresh(app, 'admin@example.com');
      const list = await admin.http.get('/api/admin/bans', bearer(admin.token));
      const key = `user:${victim.user.id}`;
      expect(list.body).toEqual(expect.arrayContaining([expect.objectContaining({ key, type: 'manual' })]));
      // AU-08: the CLI's ban is audited with the actor `cli`.
      const banEvents = await admin.http.get(`/api/admin/audit?userId=${victim.user.id}&type=ban.added`, bearer(admin.token));
      expect(banEvents.body.events).toEqual([expect.objectContaining({ actorId: 'cli', reason: 'manual' })]);

      // MB-07: unban through the admin API takes effect on the next request.
      const lifted = await admin.http.delete(`/api/admin/bans/${encodeURIComponent(key)}`, bearer(admin.token));
      expect(lifted.status).toBe(200);
      expect((await loginFrom(http, freshIp(), 'mb08@example.com')).status).toBe(200);
      // The sessions that existed at ban time stay ended.
      expect((await refreshWith(app, victim.refreshToken)).status).toBe(401);
      expect((await admin.http.delete(`/api/admin/bans/${encodeURIComponent(key)}`, bearer(admin.token))).status).toBe(404);
    });

    it('MB-08: a bearer request from a banned address is refused', async () => {
      const user = await signUpFresh(app, 'banned-ip-bearer@example.com');
      const ip = freshIp();
      await provokeIpBan(http, ip, 'nobody@example.com');
      expectBanned(await user.http.get('/api/user', { headers: { ...bearer(user.token).headers, ...from(ip) } }));
      expect((await user.http.get('/api/user', { headers: { ...bearer(user.token).headers, ...from(freshIp()) } })).status).toBe(200);
    });

    it('MB-07: unban of an address through the CLI; list-bans shows what is active', async () => {
      const ip = freshIp();
      await provokeIpBan(http, ip, 'nobody@example.com');
      expect((await cli('list-bans')).stdout).toContain(`ip:${ip}`);
      const unbanned = await cli('unban', ip);
      expect(unbanned.code).toBe(0);
      // AU-08: the CLI's unban is audited with the actor `cli`.
      const admin = await signInFresh(app, 'admin@example.com');
      const liftedEvents = await admin.http.get('/api/admin/audit?type=ban.lifted&limit=1', bearer(admin.token));
      expect(liftedEvents.body.events).toEqual([expect.objectContaining({ actorId: 'cli', reason: 'manual', details: { subject: 'ip' } })]);
      expect((await registerFrom(http, ip, 'after-unban@example.com')).status).toBe(200);
      expect((await cli('list-bans')).stdout).not.toContain(`ip:${ip}`);
    });

    it('the admin API is for ADMIN users only', async () => {
      const user = await signUpFresh(app, 'not-admin@example.com');
      const res = await user.http.get('/api/admin/bans', bearer(user.token));
      expect(res.status).toBe(403);
      expect((await new HttpClient(app.url).get('/api/admin/bans')).status).toBe(401);
    });

    it('the CLI refuses ambiguous durations and unknown targets with a non-zero exit', async () => {
      const bare = await cli('ban-user', 'admin@example.com', '120');
      expect(bare.code).toBe(1);
      expect(bare.stderr).toContain('"120" is not a duration');
      const unknown = await cli('unban', 'ghost@example.com');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('neither an IP address nor the email of a user');
    });
  });

  describe('ban expiry', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startModeratedApp({ ...BAN_ENV, BAN_DURATION: '60000' });
    });
    afterAll(() => app?.stop());

    it('MB-07: a ban ends by itself at its expiry, without a restart', async () => {
      const http = new HttpClient(app.url);
      const clock = holdClock(app);
      try {
        await signUpFresh(app, 'expiry@example.com');
        const ip = freshIp();
        await provokeIpBan(http, ip, 'expiry@example.com');
        expectBanned(await registerFrom(http, ip, 'x1@example.com'));
        // Still banned a moment before the end, free just after it: time moves, nothing sleeps.
        clock.advance(58_000);
        expectBanned(await registerFrom(http, ip, 'x1b@example.com'));
        clock.advance(2_500);
        expect((await registerFrom(http, ip, 'x2@example.com')).status).toBe(200);
      } finally {
        clock.restore();
      }
    });
  });

  describe('BAN_VIOLATIONS=false', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startModeratedApp({ ...BAN_ENV, BAN_VIOLATIONS: 'false' });
    });
    afterAll(() => app?.stop());

    it('MB-06: limits still answer 429 but no ban is ever made', async () => {
      const http = new HttpClient(app.url);
      const ip = freshIp();
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await loginFrom(http, ip, 'nobody@example.com', 'x')).status);
      expect(statuses[0]).toBe(401);
      expect(statuses.slice(1).every((s) => s === 429)).toBe(true);
      expect((await registerFrom(http, ip, 'still-allowed@example.com')).status).toBe(200);
    });
  });

  describe('per-account slow-down', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startModeratedApp({ LOGIN_MAX: '100', LOGIN_FAILURE_DELAY_AFTER: '2' });
    });
    afterAll(() => app?.stop());

    it('MB-02: failures for one email slow further attempts on it down instead of locking it; success clears them', async () => {
      const http = new HttpClient(app.url);
      await signUpFresh(app, 'slow@example.com');
      for (let i = 0; i < 3; i++) await loginFrom(http, freshIp(), 'slow@example.com', 'wrong');
      const started = Date.now();
      const ok = await loginFrom(http, freshIp(), 'slow@example.com', PASSWORD);
      const slowed = Date.now() - started;
      expect(ok.status).toBe(200);
      expect(slowed).toBeGreaterThanOrEqual(450); // 3 failures, 2 free: 250 ms × 2
      const again = Date.now();
      expect((await loginFrom(http, freshIp(), 'slow@example.com', PASSWORD)).status).toBe(200);
      expect(Date.now() - again).toBeLessThan(slowed);
    });
  });
});
