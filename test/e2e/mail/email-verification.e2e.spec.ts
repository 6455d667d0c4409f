import { UserRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { startSmtpServer, type SmtpServerHandle } from '../../support/smtp';
import { login, register, startAuthApp } from '../auth/auth-helpers';
import { linkIn, mailTo, messagesTo, settleOutbox, startMailApp } from './mail-helpers';

const SENT = { message: 'Please check your email to verify your email address.' };
const INVALID = { message: 'Invalid or expired email verification token', code: 'INVALID_VERIFICATION_TOKEN' };

describe('email verification over real SMTP', () => {
  let smtp: SmtpServerHandle;
  let app: RunningApp;
  let http: HttpClient;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startMailApp(smtp);
    http = new HttpClient(app.url);
  });
  afterAll(async () => {
    await app.stop();
    await smtp.stop();
  });

  const tokenOf = async (email: string, index = 0) => {
    await smtp.waitForMessage(() => messagesTo(smtp, email, 'Verify your email').length > index);
    return linkIn(messagesTo(smtp, email, 'Verify your email')[index]).searchParams.get('token') ?? '';
  };
  const verify = (email: string, token: string) => http.post('/api/user/verify', { json: { email, token } });

  it('registration with mail configured leaves the account unverified until the link is used', async () => {
    expect((await register(http, 'Mixed@Example.com')).status).toBe(200);
    const user = await app.app.get(UserRepository).findByEmail('mixed@example.com');
    expect(user).toMatchObject({ emailVerified: false });
    const denied = await login(http, 'mixed@example.com');
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('EMAIL_NOT_VERIFIED');
    const mail = await mailTo(smtp, 'mixed@example.com', 'Verify your email');
    const link = linkIn(mail);
    // The address arrives URI-encoded, as the client copies it from the link.
    const res = await verify(encodeURIComponent(link.searchParams.get('email') ?? ''), link.searchParams.get('token') ?? '');
    expect(res.body).toEqual({ message: 'Email verification was successful', status: 'success' });
    expect(await app.app.get(UserRepository).findByEmail('mixed@example.com')).toMatchObject({ emailVerified: true, expiresAt: null });
    expect((await login(http, 'mixed@example.com')).status).toBe(200);
  });

  it('RS-02 a verification token works once', async () => {
    await register(http, 'once@example.com');
    const token = await tokenOf('once@example.com');
    expect((await verify('once@example.com', token)).status).toBe(200);
    const again = await verify('once@example.com', token);
    expect(again.status).toBe(400);
    expect(again.body).toEqual(INVALID);
  });

  it("a token is bound to its address: another account's token does not verify this one", async () => {
    await register(http, 'victim@example.com');
    await register(http, 'attacker@example.com');
    const attackerToken = await tokenOf('attacker@example.com');
    const res = await verify('victim@example.com', attackerToken);
    expect(res.body).toEqual(INVALID);
    expect(await app.app.get(UserRepository).findByEmail('victim@example.com')).toMatchObject({ emailVerified: false });
    expect((await verify('attacker@example.com', attackerToken)).status).toBe(200);
  });

  it('resend voids the earlier token and mails a new one', async () => {
    await register(http, 'resend@example.com');
    const first = await tokenOf('resend@example.com', 0);
    const res = await http.post('/api/user/verify/resend', { json: { email: 'resend@example.com' } });
    expect(res.body).toEqual(SENT);
    const second = await tokenOf('resend@example.com', 1);
    expect(second).not.toBe(first);
    expect((await verify('resend@example.com', first)).body).toEqual(INVALID);
    expect((await verify('resend@example.com', second)).status).toBe(200);
  });

  it('EN-04 resend answers identically for unknown, verified and unverified addresses, and mails only the unverified', async () => {
    await register(http, 'pending@example.com');
    await tokenOf('pending@example.com');
    const answers = await Promise.all(
      ['pending@example.com', 'mixed@example.com', 'ghost@example.com'].map((email) => http.post('/api/user/verify/resend', { json: { email } })),
    );
    expect(answers.map((a) => [a.status, a.text])).toEqual(Array(3).fill([200, JSON.stringify(SENT)]));
    await tokenOf('pending@example.com', 1);
    await settleOutbox(app);
    expect(messagesTo(smtp, 'ghost@example.com')).toHaveLength(0);
    expect(messagesTo(smtp, 'mixed@example.com', 'Verify your email')).toHaveLength(1);
  });

  it('EN-04 with mail on, registering an existing address answers like a new one, and neither answer waits for mail', async () => {
    await register(http, 'taken@example.com');
    // SMTP receives but withholds its acknowledgement: the fresh address's answer cannot be
    // waiting for its verification mail, so only the account insert tells the two paths apart.
    const release = smtp.hold();
    try {
      for (let i = 0; i < 3; i++) {
        const fresh = await register(http, `fresh-${i}@example.com`);
        const taken = await register(http, 'taken@example.com');
        expect([taken.status, taken.text]).toEqual([fresh.status, fresh.text]);
        expect(fresh.status).toBe(200);
      }
      // The worker delivers one message at a time: the first is held while every answer was given.
      expect(await tokenOf('fresh-0@example.com')).toMatch(/\S/);
    } finally {
      release();
    }
    // No wall-clock comparison here (benchmarks, not timed tests): both paths hash the password
    // alike (register.e2e EN-04) and, as shown, neither waits for SMTP.
  });

  it('refuses made-up tokens and malformed bodies', async () => {
    expect((await verify('nobody@example.com', 'f'.repeat(64))).body).toEqual(INVALID);
    expect((await verify('%E0%A4%A', 'x')).body).toEqual(INVALID);
    const missing = await http.post('/api/user/verify', { json: { email: 'a@example.com' } });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
  });

  it('the startup config says mail is on', async () => {
    expect((await http.get('/api/config')).body).toMatchObject({ emailEnabled: true, passwordResetEnabled: true });
  });
});

describe('email verification without mail', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAuthApp();
  });
  afterAll(() => app.stop());

  it('creates accounts verified (as LibreChat does) and says emailEnabled: false', async () => {
    const http = new HttpClient(app.url);
    expect((await register(http, 'nomail@example.com')).status).toBe(200);
    expect(await app.app.get(UserRepository).findByEmail('nomail@example.com')).toMatchObject({ emailVerified: true, expiresAt: null });
    expect((await login(http, 'nomail@example.com')).status).toBe(200);
    expect((await http.get('/api/config')).body.emailEnabled).toBe(false);
    const resend = await http.post('/api/user/verify/resend', { json: { email: 'nomail@example.com' } });
    expect(resend.body).toEqual(SENT);
  });
});
