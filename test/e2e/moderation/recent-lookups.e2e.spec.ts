import { Clock } from '../../../src/common/clock';
import { RECENT_LOOKUP_MS } from '../../../src/common/recent-cache';
import { BearerAuthGuard } from '../../../src/auth/guards/bearer-auth.guard';
import { BansService } from '../../../src/moderation';
import { RateLimitGuard } from '../../../src/moderation/rate-limit.guard';
import type { RunningApp } from '../../support/app.harness';
import { ensureBuilt, runCli } from '../../support/cli.harness';
import { bearer } from '../auth/auth-helpers';
import { cliEnvFor, describeForEachStore, expectBanned, signInFresh, signUpFresh, startModeratedApp } from './moderation-helpers';

/**
 * The bearer path reuses its user and ban lookups for RECENT_LOOKUP_MS by the app's clock. Writes
 * made by another process (here the CLI, on the same store) are therefore seen within that time,
 * writes made by the app itself at once. The clock is held and moved, never slept on.
 */
function holdClock(app: RunningApp): { advance(ms: number): void; restore(): void } {
  let current = Date.now();
  const spy = jest.spyOn(app.app.get(Clock), 'now').mockImplementation(() => new Date(current));
  return { advance: (ms) => void (current += ms), restore: () => spy.mockRestore() };
}

describeForEachStore('recent lookups on the bearer path', () => {
  let app: RunningApp;
  const cli = (...args: string[]) => runCli(args, cliEnvFor(app));

  beforeAll(async () => {
    ensureBuilt();
    app = await startModeratedApp();
    await signUpFresh(app, 'lp-admin@example.com'); // the first account is ADMIN
  }, 120_000);
  afterAll(() => app?.stop());

  it('LP-01: a ban made by another process stops a live bearer token within one second of the app clock; an unban by the app applies at once', async () => {
    const victim = await signUpFresh(app, 'lp01@example.com');
    const clock = holdClock(app);
    try {
      expect((await victim.http.get('/api/user', bearer(victim.token))).status).toBe(200);
      expect((await cli('ban-user', 'lp01@example.com', '2h')).code).toBe(0);
      // The verdict looked up a moment ago is still within its second.
      expect((await victim.http.get('/api/user', bearer(victim.token))).status).toBe(200);
      clock.advance(RECENT_LOOKUP_MS);
      expectBanned(await victim.http.get('/api/user', bearer(victim.token)));

      const admin = await signInFresh(app, 'lp-admin@example.com');
      const lifted = await admin.http.delete(`/api/admin/bans/${encodeURIComponent(`user:${victim.user.id}`)}`, bearer(admin.token));
      expect(lifted.status).toBe(200);
      // Lifted by this process: the cached "banned" verdict is gone without moving the clock.
      expect((await victim.http.get('/api/user', bearer(victim.token))).status).toBe(200);
    } finally {
      clock.restore();
    }
  }, 120_000);

  it('LP-01: a ban made by the app itself applies to the very next bearer request', async () => {
    const victim = await signUpFresh(app, 'lp01-own@example.com');
    const clock = holdClock(app);
    try {
      expect((await victim.http.get('/api/user', bearer(victim.token))).status).toBe(200);
      // What a violation ban does: BansService in this process, no time passing.
      await app.app.get(BansService).ban({ userId: victim.user.id }, { type: 'manual', reason: null, violationCount: 0, durationMs: 60_000 });
      expectBanned(await victim.http.get('/api/user', bearer(victim.token)));
    } finally {
      clock.restore();
    }
  }, 120_000);

  it('LP-02: an account deleted by another process loses its bearer access within one second of the app clock', async () => {
    const gone = await signUpFresh(app, 'lp02@example.com');
    const clock = holdClock(app);
    try {
      expect((await gone.http.get('/api/user', bearer(gone.token))).status).toBe(200);
      expect((await cli('delete-user', 'lp02@example.com', '--yes')).code).toBe(0);
      clock.advance(RECENT_LOOKUP_MS);
      const res = await gone.http.get('/api/user', bearer(gone.token));
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('TOKEN_INVALID');
    } finally {
      clock.restore();
    }
  }, 120_000);
  it('a bearer request answered from the recent lookups passes both global guards without a promise; a stale one is looked up again', async () => {
    const user = await signUpFresh(app, 'lp-sync@example.com');
    const clock = holdClock(app);
    const bearerGuard = jest.spyOn(BearerAuthGuard.prototype, 'canActivate');
    const limitGuard = jest.spyOn(RateLimitGuard.prototype, 'canActivate');
    const lastResult = (spy: jest.SpyInstance) => spy.mock.results[spy.mock.results.length - 1]?.value as unknown;
    try {
      clock.advance(RECENT_LOOKUP_MS);
      expect((await user.http.get('/api/user', bearer(user.token))).status).toBe(200);
      expect(lastResult(bearerGuard)).toBeInstanceOf(Promise);
      // The user and the ban verdict are now under a second old: answered synchronously (common/maybe-async.ts).
      expect((await user.http.get('/api/user', bearer(user.token))).status).toBe(200);
      expect(lastResult(bearerGuard)).toBe(true);
      expect(lastResult(limitGuard)).toBe(true);
      clock.advance(RECENT_LOOKUP_MS);
      expect((await user.http.get('/api/user', bearer(user.token))).status).toBe(200);
      expect(lastResult(bearerGuard)).toBeInstanceOf(Promise);
    } finally {
      bearerGuard.mockRestore();
      limitGuard.mockRestore();
      clock.restore();
    }
  }, 120_000);
});
