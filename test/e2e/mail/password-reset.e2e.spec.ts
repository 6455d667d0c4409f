import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { DECOY_OWNER_ID } from '../../../src/mail/password-reset/password-reset.service';
import { OneTimeTokenRepository, UserRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { startSmtpServer, type SmtpServerHandle } from '../../support/smtp';
import { PASSWORD, login, refreshWith, signIn, startAuthApp } from '../auth/auth-helpers';
import { CLIENT, linkIn, mailTo, messagesTo, startMailApp } from './mail-helpers';

const GENERIC = { message: 'If an account with that email exists, a password reset link has been sent to it.' };
const NEW_PASSWORD = 'a brand new passphrase';

interface ResetLink {
  userId: string;
  token: string;
  url: URL;
}

describe('password reset over real SMTP', () => {
  let smtp: SmtpServerHandle;
  let app: RunningApp;
  let http: HttpClient;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    // Registration verifies by mail; these accounts are made by the CLI-equivalent path instead.
    app = await startMailApp(smtp, { ALLOW_UNVERIFIED_EMAIL_LOGIN: 'true' });
    http = new HttpClient(app.url);
  });
  afterAll(async () => {
    await app.stop();
    await smtp.stop();
  });

  async function account(email: string): Promise<void> {
    const res = await http.post('/api/auth/register', { json: { name: 'Reset Tester', email, password: PASSWORD, confirm_password: PASSWORD } });
    expect(res.status).toBe(200);
  }

  /** Requests a reset and returns the link from the mail that arrives for it. */
  async function requestLink(email: string, headers?: Record<string, string>): Promise<ResetLink> {
    const before = messagesTo(smtp, email, 'Password Reset Request').length;
    const res = await http.post('/api/auth/requestPasswordReset', { json: { email }, headers });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(GENERIC);
    const mail = await smtp.waitForMessage(
      (m) => m.to.includes(email) && m.subject === 'Password Reset Request' && messagesTo(smtp, email, 'Password Reset Request').indexOf(m) >= before,
    );
    const url = linkIn(mail);
    return { userId: url.searchParams.get('userId') ?? '', token: url.searchParams.get('token') ?? '', url };
  }

  function submit(link: Pick<ResetLink, 'userId' | 'token'>, password = NEW_PASSWORD, confirm: string | undefined = password) {
    return http.post('/api/auth/resetPassword', { json: { userId: link.userId, token: link.token, password, confirm_password: confirm } });
  }

  it('completes a reset by following the mailed link, and mails a confirmation', async () => {
    await account('flow@example.com');
    const link = await requestLink('flow@example.com');
    expect(`${link.url.origin}${link.url.pathname}`).toBe(`${CLIENT}/reset-password`);
    const res = await submit(link);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Password reset was successful' });
    expect((await login(new HttpClient(app.url), 'flow@example.com')).status).toBe(401);
    expect((await login(new HttpClient(app.url), 'flow@example.com', NEW_PASSWORD)).status).toBe(200);
    const done = await mailTo(smtp, 'flow@example.com', 'Password Reset Successfully');
    expect(done.text).toMatch(/signed out/);
  });

  it('RS-01 tokens carry 256 random bits and only their hash is stored (token table and outbox alike)', async () => {
    await account('rs01@example.com');
    const { token } = await requestLink('rs01@example.com');
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const db = new Database(path.join(app.dataDir, 'gatehouse.db'), { readonly: true, fileMustExist: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      for (const { name } of tables) {
        const rows = JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all());
        expect({ table: name, holdsToken: rows.includes(token) }).toEqual({ table: name, holdsToken: false });
      }
    } finally {
      db.close();
    }
  });

  it('RS-01 the reset token expires after PASSWORD_RESET_TOKEN_EXPIRY (15 minutes by default)', () => {
    expect(app.config.mail.passwordResetTtlMs).toBe(15 * 60 * 1000);
  });

  it('RS-01 an expired token is refused even while it is still in the store', async () => {
    await account('rs01-expired@example.com');
    const user = await app.app.get(UserRepository).findByEmail('rs01-expired@example.com');
    const token = 'e'.repeat(64);
    await app.app.get(OneTimeTokenRepository).create({
      type: 'password_reset',
      userId: user!.id,
      tokenHash: createHash('sha256').update(token).digest('hex'),
      createdAt: new Date(Date.now() - 16 * 60_000),
      expiresAt: new Date(Date.now() - 60_000),
    });
    const res = await submit({ userId: user!.id, token });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_RESET_TOKEN');
  });

  it('RS-02 a spent token cannot be used again', async () => {
    await account('rs02-reuse@example.com');
    const link = await requestLink('rs02-reuse@example.com');
    expect((await submit(link)).status).toBe(200);
    const again = await submit(link, 'yet another passphrase');
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ message: 'Invalid or expired password reset token', code: 'INVALID_RESET_TOKEN' });
    expect((await login(new HttpClient(app.url), 'rs02-reuse@example.com', NEW_PASSWORD)).status).toBe(200);
  });

  it('RS-02 a newer request voids the older token', async () => {
    await account('rs02-older@example.com');
    const older = await requestLink('rs02-older@example.com');
    const newer = await requestLink('rs02-older@example.com');
    expect(newer.token).not.toBe(older.token);
    const res = await submit(older);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_RESET_TOKEN');
    expect((await submit(newer)).status).toBe(200);
  });

  it('RS-02 five parallel requests leave exactly one live token (the others are voided)', async () => {
    await account('rs02-burst@example.com');
    const user = await app.app.get(UserRepository).findByEmail('rs02-burst@example.com');
    const before = messagesTo(smtp, 'rs02-burst@example.com', 'Password Reset Request').length;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => http.post('/api/auth/requestPasswordReset', { json: { email: 'rs02-burst@example.com' } })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    await smtp.waitForMessage(() => messagesTo(smtp, 'rs02-burst@example.com', 'Password Reset Request').length === before + 5);
    const live = await app.app.get(OneTimeTokenRepository).find({ type: 'password_reset', userId: user!.id }, new Date());
    expect(live).toHaveLength(1);
    const tokens = messagesTo(smtp, 'rs02-burst@example.com', 'Password Reset Request')
      .slice(before)
      .map((m) => linkIn(m).searchParams.get('token') ?? '');
    const working = tokens.filter((t) => createHash('sha256').update(t).digest('hex') === live[0].tokenHash);
    expect(working).toHaveLength(1);
  });

  it('RS-02 two parallel submissions of one token: exactly one succeeds', async () => {
    await account('rs02-race@example.com');
    const link = await requestLink('rs02-race@example.com');
    const results = await Promise.all([submit(link, 'first parallel pass'), submit(link, 'second parallel pass')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it("RS-03 user A's valid token submitted with user B's id is rejected, and A's token stays usable", async () => {
    await account('rs03-a@example.com');
    await account('rs03-b@example.com');
    const a = await requestLink('rs03-a@example.com');
    const b = await requestLink('rs03-b@example.com');
    const res = await submit({ userId: b.userId, token: a.token });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_RESET_TOKEN');
    expect((await login(new HttpClient(app.url), 'rs03-b@example.com')).status).toBe(200);
    expect((await submit(a)).status).toBe(200);
  });

  it('RS-04 a forged Host or X-Forwarded-Host does not change the link: it comes from DOMAIN_CLIENT', async () => {
    await account('rs04@example.com');
    const link = await requestLink('rs04@example.com', {
      host: 'evil.example',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'http',
      forwarded: 'host=evil.example',
    });
    expect(link.url.origin).toBe(CLIENT);
    const mail = await mailTo(smtp, 'rs04@example.com', 'Password Reset Request');
    expect(`${mail.text}${mail.html}`).not.toContain('evil.example');
  });

  it('RS-05 a successful reset ends every session of the user', async () => {
    await account('rs05@example.com');
    const laptop = await signIn(app, 'rs05@example.com');
    const phone = await signIn(app, 'rs05@example.com');
    const link = await requestLink('rs05@example.com');
    expect((await submit(link)).status).toBe(200);
    for (const device of [laptop, phone]) {
      const refreshed = await refreshWith(app, device.refreshToken);
      expect(refreshed.status).toBe(401);
    }
  });

  it('RS-08 a weak new password is refused and leaves the token unspent', async () => {
    await account('rs08@example.com');
    const link = await requestLink('rs08@example.com');
    const weak = await submit(link, 'short');
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('PASSWORD_TOO_SHORT');
    const mismatch = await submit(link, NEW_PASSWORD, `${NEW_PASSWORD}!`);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.code).toBe('PASSWORD_MISMATCH');
    expect((await submit(link)).status).toBe(200);
  });

  it('RS-08 responses carry Referrer-Policy: no-referrer, and the mail asks for no referrer either', async () => {
    await account('rs08-ref@example.com');
    const res = await http.post('/api/auth/requestPasswordReset', { json: { email: 'rs08-ref@example.com' } });
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const mail = await mailTo(smtp, 'rs08-ref@example.com', 'Password Reset Request');
    expect(mail.html).toContain('<meta name="referrer" content="no-referrer">');
    expect(mail.html).toMatch(/<a href="[^"]+" rel="noreferrer"/);
  });

  it.each([
    ['an unknown user id', { userId: 'ffffffffffffffffffffffff', token: 'a'.repeat(64) }],
    ['a made-up token', { userId: 'x', token: 'not-a-token' }],
  ])('rejects %s with 400 INVALID_RESET_TOKEN', async (_label, link) => {
    const res = await submit(link);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Invalid or expired password reset token', code: 'INVALID_RESET_TOKEN' });
  });

  it('answers 400 VALIDATION_FAILED to malformed bodies', async () => {
    for (const [route, body] of [
      ['requestPasswordReset', { email: 'not-an-email' }],
      ['requestPasswordReset', { email: { $ne: null } }],
      ['resetPassword', { userId: 'x', password: NEW_PASSWORD }],
      ['resetPassword', { userId: 'x', token: 'y' }],
    ] as const) {
      const res = await http.post(`/api/auth/${route}`, { json: body });
      expect({ route, status: res.status, code: res.body.code }).toEqual({ route, status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  it('EN-03 known and unknown emails get the same status, body and headers, and the answer does not wait for the mail', async () => {
    await account('en03@example.com');
    const ask = (email: string) => http.post('/api/auth/requestPasswordReset', { json: { email } });
    // SMTP receives the message but withholds its acknowledgement: a request path that waited
    // for delivery (and so took longer for a known address) could not answer while this holds.
    const release = smtp.hold();
    try {
      const known = await ask('en03@example.com');
      const unknown = await ask('nobody-en03@example.com');
      expect(known.status).toBe(200);
      expect(unknown.status).toBe(200);
      expect(known.text).toBe(unknown.text);
      const headerNames = (h: Headers) => [...h.keys()].filter((k) => k !== 'date').sort();
      expect(headerNames(known.headers)).toEqual(headerNames(unknown.headers));
      expect(known.headers.get('content-length')).toBe(unknown.headers.get('content-length'));
      // The mail for the known address is made, and is still unacknowledged after both answers.
      const mail = await smtp.waitForMessage((m) => m.to.includes('en03@example.com') && m.subject === 'Password Reset Request');
      expect(mail.to).toEqual(['en03@example.com']);
      expect(messagesTo(smtp, 'nobody-en03@example.com')).toHaveLength(0);
    } finally {
      release();
    }
    // Latency of known against unknown addresses is measured by `npm run bench` (mail bench).
  });

  it('EN-03 an unknown address costs the same committed write as a known one: a decoy reset token no account owns, each voiding the last', async () => {
    const decoys = () => {
      const db = new Database(path.join(app.dataDir, 'gatehouse.db'), { readonly: true, fileMustExist: true });
      try {
        return db.prepare('SELECT type, expires_at AS expiresAt FROM one_time_tokens WHERE user_id = ?').all(DECOY_OWNER_ID) as { type: string }[];
      } finally {
        db.close();
      }
    };
    for (const email of ['nobody-decoy-1@example.com', 'nobody-decoy-2@example.com']) {
      expect((await http.post('/api/auth/requestPasswordReset', { json: { email } })).status).toBe(200);
      expect(decoys()).toEqual([expect.objectContaining({ type: 'password_reset' })]);
    }
    expect(await app.app.get(UserRepository).findById(DECOY_OWNER_ID)).toBeNull();
    expect(messagesTo(smtp, 'nobody-decoy-1@example.com')).toHaveLength(0);
  });
});

describe('password reset switches', () => {
  const apps: RunningApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
  });
  async function start(env: Record<string, string>) {
    const app = await startAuthApp(env);
    apps.push(app);
    const http = new HttpClient(app.url);
    expect((await http.post('/api/auth/register', { json: { name: 'Switch Tester', email: 'known@example.com', password: PASSWORD } })).status).toBe(200);
    return { app, http };
  }

  it('RS-07 without mail the reset request gets the generic answer and no link, and the UI hides reset', async () => {
    const { http } = await start({ ALLOW_PASSWORD_RESET: 'true' });
    for (const email of ['known@example.com', 'unknown@example.com']) {
      const res = await http.post('/api/auth/requestPasswordReset', { json: { email } });
      expect({ email, status: res.status, body: res.body }).toEqual({ email, status: 200, body: GENERIC });
    }
    const config = await http.get('/api/config');
    expect(config.body).toMatchObject({ emailEnabled: false, passwordResetEnabled: false });
  });

  it('RS-07 with ALLOW_PASSWORD_RESET off the request gets the same generic answer; the submission is refused', async () => {
    const { http } = await start({ ALLOW_PASSWORD_RESET: 'false' });
    const res = await http.post('/api/auth/requestPasswordReset', { json: { email: 'known@example.com' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(GENERIC);
    const submit = await http.post('/api/auth/resetPassword', { json: { userId: 'x', token: 'y', password: NEW_PASSWORD } });
    expect(submit.status).toBe(403);
    expect(submit.body.code).toBe('PASSWORD_RESET_DISABLED');
  });

  it('ALLOW_INSECURE_PASSWORD_RESET=true restores LibreChat’s link-in-response reset, with a boot warning', async () => {
    const { app, http } = await start({ ALLOW_PASSWORD_RESET: 'true', ALLOW_INSECURE_PASSWORD_RESET: 'true', DOMAIN_CLIENT: CLIENT });
    expect(app.config.warnings.join('\n')).toMatch(/ALLOW_INSECURE_PASSWORD_RESET: INSECURE/);
    const res = await http.post('/api/auth/requestPasswordReset', { json: { email: 'known@example.com' } });
    expect(res.status).toBe(200);
    const link = new URL(res.body.link);
    expect(`${link.origin}${link.pathname}`).toBe(`${CLIENT}/reset-password`);
    const done = await http.post('/api/auth/resetPassword', {
      json: { userId: link.searchParams.get('userId'), token: link.searchParams.get('token'), password: NEW_PASSWORD },
    });
    expect(done.status).toBe(200);
    expect((await login(http, 'known@example.com', NEW_PASSWORD)).status).toBe(200);
    expect((await http.get('/api/config')).body.passwordResetEnabled).toBe(true);
  });
});
