import Database from 'better-sqlite3';
import { SqliteStorageModule } from '../../../src/storage/sqlite/sqlite-storage.module';
import { TwoFactorRepository, UserRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { bearer, cookie, refreshWith, signIn, signUp, startAuthApp } from '../auth/auth-helpers';
import {
  STEP_MS,
  enrol,
  holdClock,
  libreChatBackupCodes,
  libreChatEncryptV2,
  libreChatEncryptV3,
  libreChatSecret,
  passwordStep,
  secretOf,
  totpAt,
} from './two-factor-helpers';

describe('Two-factor authentication (issue 14)', () => {
  let app: RunningApp;
  let clock: ReturnType<typeof holdClock>;
  let n = 0;
  const nextEmail = () => `mf${++n}@example.com`;

  beforeAll(async () => {
    app = await startAuthApp({ APP_TITLE: 'Acme Chat' });
    await signUp(app, 'admin@example.com');
  });
  beforeEach(() => {
    clock = holdClock(app, new Date('2031-05-06T07:08:00.000Z'));
  });
  afterEach(() => clock.restore());
  afterAll(() => app.stop());

  it('MF-01 enrol → confirm → the password step answers {twoFAPending, tempToken} with no cookies → verify-temp with a TOTP code signs in', async () => {
    const email = nextEmail();
    const ada = await signUp(app, email);
    const enabled = await ada.http.post('/api/auth/2fa/enable', { json: {}, ...bearer(ada.token) });
    expect(enabled.status).toBe(200);
    expect(enabled.body.backupCodes).toHaveLength(10);
    for (const code of enabled.body.backupCodes) expect(code).toMatch(/^[0-9a-f]{8}$/);
    const url = new URL(enabled.body.otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('issuer')).toBe('AcmeChat');
    expect(url.searchParams.get('secret')).toMatch(/^[A-Z2-7]{16}$/);
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe(`/AcmeChat:${email}`);
    // Pending until confirmed: the password alone still signs in.
    expect((await passwordStep(app, email)).res.body.token).toEqual(expect.any(String));
    const secret = secretOf(enabled.body.otpauthUrl);
    expect((await ada.http.post('/api/auth/2fa/verify', { json: { token: totpAt(secret, clock.now()) }, ...bearer(ada.token) })).status).toBe(200);
    const wrong = await ada.http.post('/api/auth/2fa/confirm', {
      json: { token: '000000' === totpAt(secret, clock.now()) ? '111111' : '000000' },
      ...bearer(ada.token),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ message: 'Invalid token.' });
    const confirmed = await ada.http.post('/api/auth/2fa/confirm', { json: { token: totpAt(secret, clock.now()) }, ...bearer(ada.token) });
    expect(confirmed.status).toBe(200);
    expect((await ada.http.get('/api/user', bearer(ada.token))).body.twoFactorEnabled).toBe(true);

    const step = await passwordStep(app, email);
    expect(step.res.status).toBe(200);
    expect(step.res.body).toEqual({ twoFAPending: true, tempToken: expect.any(String) });
    expect(step.res.setCookies).toEqual([]);

    clock.advance(STEP_MS);
    const done = await step.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: step.tempToken, token: totpAt(secret, clock.now()) } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ token: expect.any(String), user: { id: ada.user.id, email, twoFactorEnabled: true } });
    expect(cookie(done, 'refreshToken')?.value).toBeTruthy();
    expect(cookie(done, 'token_provider')?.value).toBe('librechat');
    expect((await step.http.get('/api/user', bearer(done.body.token))).status).toBe(200);
    expect((await step.http.post('/api/auth/refresh')).status).toBe(200);
  });

  it('MF-02 verify-temp accepts a backup code once; the spent code is refused afterwards', async () => {
    const email = nextEmail();
    const bob = await signUp(app, email);
    const { backupCodes } = await enrol(bob, clock.now());
    const first = await passwordStep(app, email);
    const ok = await first.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: first.tempToken, backupCode: ` ${backupCodes[3]} ` } });
    expect(ok.status).toBe(200);
    expect(cookie(ok, 'refreshToken')?.value).toBeTruthy();
    const again = await passwordStep(app, email);
    const spent = await again.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: again.tempToken, backupCode: backupCodes[3] } });
    expect(spent.status).toBe(401);
    expect(spent.body).toMatchObject({ code: 'INVALID_SECOND_FACTOR', message: 'Invalid 2FA code or backup code' });
    expect(spent.setCookies).toEqual([]);
    const stored = await app.app.get(TwoFactorRepository).find(bob.user.id);
    expect(stored?.backupCodes.filter((c) => c.used)).toEqual([{ codeHash: expect.stringMatching(/^[0-9a-f]{64}$/), used: true, usedAt: clock.now() }]);
  });

  it('MF-03 a TOTP code is accepted once: the same code, or an older one, is refused within its window', async () => {
    const email = nextEmail();
    const cy = await signUp(app, email);
    const { secret } = await enrol(cy, clock.now());
    clock.advance(STEP_MS);
    const code = totpAt(secret, clock.now());
    const a = await passwordStep(app, email);
    expect((await a.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: a.tempToken, token: code } })).status).toBe(200);
    const b = await passwordStep(app, email);
    const replay = await b.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: b.tempToken, token: code } });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('INVALID_SECOND_FACTOR');
    // The previous step's code is still inside the ±1 window, but older than the one used.
    const older = await b.http.post('/api/auth/2fa/verify-temp', {
      json: { tempToken: b.tempToken, token: totpAt(secret, new Date(clock.now().getTime() - STEP_MS)) },
    });
    expect(older.status).toBe(401);
    clock.advance(STEP_MS);
    expect((await b.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: b.tempToken, token: totpAt(secret, clock.now()) } })).status).toBe(200);
  });

  it('MF-04 disable needs a code; afterwards the password alone signs in again', async () => {
    const email = nextEmail();
    const dee = await signUp(app, email);
    const { secret } = await enrol(dee, clock.now());
    const step = await passwordStep(app, email);
    clock.advance(STEP_MS);
    const done = await step.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: step.tempToken, token: totpAt(secret, clock.now()) } });
    const token = done.body.token as string;
    const none = await step.http.post('/api/auth/2fa/disable', { json: {}, ...bearer(token) });
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ message: 'Either token or backup code is required to disable 2FA' });
    const bad = await step.http.post('/api/auth/2fa/disable', { json: { backupCode: 'deadbeef' }, ...bearer(token) });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ message: 'Invalid token or backup code' });
    clock.advance(STEP_MS);
    expect((await step.http.post('/api/auth/2fa/disable', { json: { token: totpAt(secret, clock.now()) }, ...bearer(token) })).status).toBe(200);
    const after = await passwordStep(app, email);
    expect(after.res.body).toMatchObject({ token: expect.any(String), user: { twoFactorEnabled: false } });
    expect(await app.app.get(TwoFactorRepository).find(dee.user.id)).toMatchObject({ enabled: false, totpSecret: null, backupCodes: [] });
  });

  it('MF-05 a missing, forged or expired temp token is refused (the clock moved past 5 minutes)', async () => {
    const email = nextEmail();
    const eve = await signUp(app, email);
    const { secret } = await enrol(eve, clock.now());
    const http = new HttpClient(app.url);
    const missing = await http.post('/api/auth/2fa/verify-temp', { json: { token: totpAt(secret, clock.now()) } });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ message: 'Missing temporary token', code: 'MISSING_TEMP_TOKEN' });
    const step = await passwordStep(app, email);
    const [h, p] = step.tempToken.split('.');
    const forged = `${h}.${p}.${Buffer.from('not the signature').toString('base64url')}`;
    const forgedRes = await http.post('/api/auth/2fa/verify-temp', { json: { tempToken: forged, token: totpAt(secret, clock.now()) } });
    expect(forgedRes.status).toBe(401);
    expect(forgedRes.body).toMatchObject({ message: 'Invalid or expired temporary token', code: 'INVALID_TEMP_TOKEN' });
    // An access token is not a temp token either.
    const asTemp = await http.post('/api/auth/2fa/verify-temp', { json: { tempToken: eve.token, token: totpAt(secret, clock.now()) } });
    expect(asTemp.status).toBe(401);
    clock.advance(5 * 60_000 + 1000);
    const expired = await step.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: step.tempToken, token: totpAt(secret, clock.now()) } });
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('INVALID_TEMP_TOKEN');
  });

  it('MF-06 the temp token is refused as a bearer token and as a refresh token, and finishes one sign-in only', async () => {
    const email = nextEmail();
    const fay = await signUp(app, email);
    const { secret } = await enrol(fay, clock.now());
    const step = await passwordStep(app, email);
    const asBearer = await step.http.get('/api/user', bearer(step.tempToken));
    expect(asBearer.status).toBe(401);
    const asRefresh = await refreshWith(app, step.tempToken);
    expect(asRefresh.body?.token).toBeUndefined();
    expect([200, 401, 403]).toContain(asRefresh.status);
    clock.advance(STEP_MS);
    expect((await step.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: step.tempToken, token: totpAt(secret, clock.now()) } })).status).toBe(200);
    clock.advance(STEP_MS);
    const reused = await step.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: step.tempToken, token: totpAt(secret, clock.now()) } });
    expect(reused.status).toBe(401);
    expect(reused.body.code).toBe('INVALID_TEMP_TOKEN');
  });

  it.each([
    ['v3 (AES-256-CTR)', libreChatEncryptV3],
    ['v2 (AES-256-CBC)', libreChatEncryptV2],
  ])("MF-07 a user record in LibreChat's format (%s secret, SHA-256 backup codes) signs in with its code and its backup code", async (_name, encrypt) => {
    const email = nextEmail();
    const gil = await signUp(app, email);
    const secret = libreChatSecret();
    const codes = libreChatBackupCodes();
    const store = app.app.get(TwoFactorRepository);
    await store.savePending(gil.user.id, encrypt(secret, app.config.secrets.credsKey), codes.stored);
    await store.activatePending(gil.user.id, (await store.find(gil.user.id))?.pendingTotpSecret ?? '', 0);
    expect((await app.app.get(UserRepository).findById(gil.user.id))?.twoFactorEnabled).toBe(true);
    const step = await passwordStep(app, email);
    expect(step.res.body.twoFAPending).toBe(true);
    expect((await step.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: step.tempToken, token: totpAt(secret, clock.now()) } })).status).toBe(200);
    const again = await passwordStep(app, email);
    expect((await again.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: again.tempToken, backupCode: codes.plain[9] } })).status).toBe(200);
  });

  it("MF-08 secrets are stored in LibreChat's v3 format and backup codes only as SHA-256 hashes", async () => {
    const email = nextEmail();
    const hal = await signUp(app, email);
    const { secret, backupCodes } = await enrol(hal, clock.now());
    const raw = new Database(SqliteStorageModule.fileIn(app.dataDir), { readonly: true });
    try {
      const row = raw.prepare('SELECT * FROM users WHERE id = ?').get(hal.user.id) as Record<string, unknown>;
      expect(row.totp_secret).toMatch(/^v3:[0-9a-f]{32}:[0-9a-f]+$/);
      const text = JSON.stringify(row);
      expect(text).not.toContain(secret);
      for (const code of backupCodes) expect(text).not.toContain(`"${code}"`);
      expect(JSON.parse(String(row.backup_codes))).toHaveLength(10);
    } finally {
      raw.close();
    }
  });

  it('MF-09 two parallel sign-ins with one backup code: exactly one wins', async () => {
    const email = nextEmail();
    const ivy = await signUp(app, email);
    const { backupCodes } = await enrol(ivy, clock.now());
    const [a, b] = await Promise.all([passwordStep(app, email), passwordStep(app, email)]);
    const results = await Promise.all(
      [a, b].map((s) => s.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: s.tempToken, backupCode: backupCodes[0] } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('MF-10 every 2FA change ends the other sessions and keeps the current one', async () => {
    const email = nextEmail();
    const jo = await signUp(app, email);
    const other = await signIn(app, email);
    await enrol(jo, clock.now());
    expect((await other.http.post('/api/auth/refresh')).status).toBe(401);
    expect((await jo.http.post('/api/auth/refresh')).status).toBe(200);
  });

  it('MF-11 re-enrolment needs a current code and leaves the live factor working until the new one is confirmed', async () => {
    const email = nextEmail();
    const kim = await signUp(app, email);
    const { secret } = await enrol(kim, clock.now());
    const none = await kim.http.post('/api/auth/2fa/enable', { json: {}, ...bearer(kim.token) });
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ message: 'TOTP token or backup code is required to re-enroll 2FA' });
    clock.advance(STEP_MS);
    const again = await kim.http.post('/api/auth/2fa/enable', { json: { token: totpAt(secret, clock.now()) }, ...bearer(kim.token) });
    expect(again.status).toBe(200);
    const newSecret = secretOf(again.body.otpauthUrl);
    clock.advance(STEP_MS);
    const step = await passwordStep(app, email);
    expect((await step.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: step.tempToken, token: totpAt(secret, clock.now()) } })).status).toBe(200);
    expect((await kim.http.post('/api/auth/2fa/confirm', { json: { token: totpAt(newSecret, clock.now()) }, ...bearer(kim.token) })).status).toBe(200);
    clock.advance(STEP_MS);
    const next = await passwordStep(app, email);
    expect((await next.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: next.tempToken, token: totpAt(secret, clock.now()) } })).status).toBe(401);
    expect((await next.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: next.tempToken, token: totpAt(newSecret, clock.now()) } })).status).toBe(
      200,
    );
  });

  it('MF-12 regenerate needs a code and answers the new codes with their hashes', async () => {
    const email = nextEmail();
    const lee = await signUp(app, email);
    const { backupCodes } = await enrol(lee, clock.now());
    expect((await lee.http.post('/api/auth/2fa/backup/regenerate', { json: {}, ...bearer(lee.token) })).status).toBe(400);
    const res = await lee.http.post('/api/auth/2fa/backup/regenerate', { json: { backupCode: backupCodes[1] }, ...bearer(lee.token) });
    expect(res.status).toBe(200);
    expect(res.body.backupCodes).toHaveLength(10);
    expect(res.body.backupCodesHash).toEqual(
      res.body.backupCodes.map(() => ({ codeHash: expect.stringMatching(/^[0-9a-f]{64}$/), used: false, usedAt: null })),
    );
    const step = await passwordStep(app, email);
    expect((await step.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: step.tempToken, backupCode: backupCodes[2] } })).status).toBe(401);
    expect((await step.http.post('/api/auth/2fa/verify-temp', { json: { tempToken: step.tempToken, backupCode: res.body.backupCodes[2] } })).status).toBe(200);
  });

  it('MF-13 DELETE /api/user/delete asks a 2FA account for a code', async () => {
    const email = nextEmail();
    const mo = await signUp(app, email);
    const { secret } = await enrol(mo, clock.now());
    const none = await mo.http.delete('/api/user/delete', bearer(mo.token));
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ message: 'TOTP token or backup code is required to delete account with 2FA enabled' });
    const wrong = await mo.http.delete('/api/user/delete', { json: { token: '12345x' }, ...bearer(mo.token) });
    expect(wrong.status).toBe(401);
    expect(await app.app.get(UserRepository).findById(mo.user.id)).not.toBeNull();
    clock.advance(STEP_MS);
    const ok = await mo.http.delete('/api/user/delete', { json: { token: totpAt(secret, clock.now()) }, ...bearer(mo.token) });
    expect(ok.status).toBe(200);
    expect(await app.app.get(UserRepository).findById(mo.user.id)).toBeNull();
  });
});
