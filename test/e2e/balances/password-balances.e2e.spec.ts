import { Clock } from '../../../src/common/clock';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { PASSWORD, bearer, cookie, login, register, signIn, signUp, startAuthApp } from '../auth/auth-helpers';
import { enrol, holdClock, passwordStep, totpAt, STEP_MS } from '../two-factor/two-factor-helpers';
import {
  REFILL_YAML,
  balanceOf,
  balanceRows,
  configFile,
  deleteBalance,
  lockStoreDuringNextBalanceWrite,
  rawStore,
  storedLoginsOf,
  userIdOf,
} from './balance-helpers';

jest.setTimeout(60_000);

describe('balances on password and 2FA sign-in (LibreChat setBalanceConfig)', () => {
  let app: RunningApp;
  const T = new Date('2031-05-06T07:08:09.000Z');

  beforeAll(async () => {
    app = await startAuthApp({ CONFIG_PATH: configFile(REFILL_YAML) });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('creates the balance at the first sign-in (not at registration) with the start balance, the refill settings and lastRefill from the clock', async () => {
    const clock = holdClock(app, T);
    try {
      const http = new HttpClient(app.url);
      expect((await register(http, 'ada@example.com')).status).toBe(200);
      expect(await balanceOf(app, 'ada@example.com')).toBeNull();
      expect((await login(http, 'ada@example.com')).status).toBe(200);
      expect(await balanceOf(app, 'ada@example.com')).toEqual({
        userId: await userIdOf(app, 'ada@example.com'),
        tokenCredits: 1000,
        autoRefillEnabled: true,
        refillIntervalValue: 7,
        refillIntervalUnit: 'days',
        lastRefill: T,
        refillAmount: 250,
      });
    } finally {
      clock.restore();
    }
  });

  it('BA-06 never resets credits LibreChat spent, and tops up a record left without credits at the next sign-in', async () => {
    const id = (await signUp(app, 'grace@example.com')).user.id as string;
    const first = await balanceOf(app, 'grace@example.com');
    const raw = rawStore(app);
    try {
      // LibreChat's API server spent credits and moved lastRefill meanwhile.
      raw.prepare('UPDATE balances SET token_credits = 12.5, last_refill = 0 WHERE user_id = ?').run(id);
      await signIn(app, 'grace@example.com');
      expect(await balanceOf(app, 'grace@example.com')).toMatchObject({ tokenCredits: 12.5, lastRefill: new Date(0) });
      raw.prepare('UPDATE balances SET token_credits = NULL, auto_refill_enabled = 0, refill_amount = 1 WHERE user_id = ?').run(id);
      await signIn(app, 'grace@example.com');
      expect(await balanceOf(app, 'grace@example.com')).toMatchObject({ tokenCredits: 1000, autoRefillEnabled: true, refillAmount: 250 });
      expect(first?.tokenCredits).toBe(1000);
      expect(raw.prepare('SELECT count(*) FROM balances WHERE user_id = ?').pluck().get(id)).toBe(1);
    } finally {
      raw.close();
    }
  });

  it('BA-01 parallel sign-ins of one user leave one record', async () => {
    const id = (await signUp(app, 'par@example.com')).user.id as string;
    deleteBalance(app, id);
    const results = await Promise.all(Array.from({ length: 6 }, () => login(new HttpClient(app.url), 'par@example.com')));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const raw = rawStore(app);
    try {
      expect(raw.prepare('SELECT count(*), max(token_credits) FROM balances WHERE user_id = ?').raw().get(id)).toEqual([1, 1000]);
    } finally {
      raw.close();
    }
  });

  it('syncs at the 2FA step, not at the password step that only asks for the second factor', async () => {
    const now = new Date();
    const clock = holdClock(app, now);
    try {
      const client = await signUp(app, 'twofa@example.com');
      const { secret } = await enrol(client, clock.now());
      deleteBalance(app, client.user.id as string);
      const step = await passwordStep(app, 'twofa@example.com');
      expect(step.res.body.twoFAPending).toBe(true);
      expect(await balanceOf(app, 'twofa@example.com')).toBeNull();
      clock.advance(STEP_MS);
      const done = await step.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: step.tempToken, token: totpAt(secret, clock.now()) } });
      expect(done.status).toBe(200);
      expect(await balanceOf(app, 'twofa@example.com')).toMatchObject({ tokenCredits: 1000, lastRefill: app.app.get(Clock).now() });
    } finally {
      clock.restore();
    }
  });

  it('BA-05 a store fault in the balance step answers 503 SERVICE_UNAVAILABLE with no session cookie and no session left behind', async () => {
    await signUp(app, 'fault@example.com');
    const before = await storedLoginsOf(app, 'fault@example.com');
    const spy = lockStoreDuringNextBalanceWrite(app);
    try {
      const http = new HttpClient(app.url);
      const res = await login(http, 'fault@example.com', PASSWORD);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(res.body.token).toBeUndefined();
      expect(cookie(res, 'refreshToken')).toBeUndefined();
      expect(spy).toHaveBeenCalled();
      // The session the failed sign-in had opened is closed again: nobody holds its cookie.
      expect(await storedLoginsOf(app, 'fault@example.com')).toEqual(before);
    } finally {
      spy.mockRestore();
    }
    // The store is back: the next sign-in works and writes the balance.
    expect((await login(new HttpClient(app.url), 'fault@example.com')).status).toBe(200);
    expect((await balanceOf(app, 'fault@example.com'))?.tokenCredits).toBe(1000);
  });
});

describe('balances and account deletion', () => {
  it('deleting the account removes its balance record, as LibreChat does', async () => {
    const app = await startAuthApp({ CHECK_BALANCE: 'true', START_BALANCE: '500', ALLOW_ACCOUNT_DELETION: 'true' });
    try {
      await signUp(app, 'first@example.com');
      const client = await signUp(app, 'leaving@example.com');
      expect(balanceRows(app)).toBe(2);
      expect((await client.http.delete('/api/user/delete', bearer(client.token))).status).toBe(200);
      expect(balanceRows(app)).toBe(1);
    } finally {
      await app.stop();
    }
  });
});

describe('balances from the legacy variables, and balances off', () => {
  it('CHECK_BALANCE / START_BALANCE without a balance section: created with the start balance and no auto-refill', async () => {
    const app = await startAuthApp({ CHECK_BALANCE: 'true', START_BALANCE: '500' });
    try {
      await signUp(app, 'legacy@example.com');
      expect(await balanceOf(app, 'legacy@example.com')).toMatchObject({
        tokenCredits: 500,
        autoRefillEnabled: false,
        refillIntervalValue: 30,
        refillIntervalUnit: 'days',
        refillAmount: 0,
      });
    } finally {
      await app.stop();
    }
  });

  it("the file's fields win over the variables, and enabled: false writes nothing at all", async () => {
    const app = await startAuthApp({ CHECK_BALANCE: 'true', START_BALANCE: '500', CONFIG_PATH: configFile('balance:\n  enabled: false\n  startBalance: 9\n') });
    try {
      await signUp(app, 'off@example.com');
      await signIn(app, 'off@example.com');
      expect(balanceRows(app)).toBe(0);
    } finally {
      await app.stop();
    }
  });

  it('nothing configured: no balance record on sign-in', async () => {
    const app = await startAuthApp();
    try {
      await signUp(app, 'none@example.com');
      expect(balanceRows(app)).toBe(0);
    } finally {
      await app.stop();
    }
  });
});
