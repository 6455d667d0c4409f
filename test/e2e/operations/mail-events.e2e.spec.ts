import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { startSmtpServer, type SmtpServerHandle } from '../../support/smtp';
import { PASSWORD, bearer, login, register } from '../auth/auth-helpers';
import { linkIn, messagesTo, startMailApp } from '../mail/mail-helpers';
import { sample } from './metrics-sample';

jest.setTimeout(120_000);

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const NEW_PASSWORD = 'a brand new passphrase';

/** Mail-driven events over real SMTP: email verified, password reset requested and completed. */
describe('verification and password reset events (issue 22)', () => {
  let smtp: SmtpServerHandle;
  let app: RunningApp;
  let http: HttpClient;
  const scrape = async () => (await http.get('/metrics', bearer(METRICS_TOKEN))).text;
  const eventCount = (text: string, type: string) => sample(text, 'gatehouse_security_events_total', { type });
  const linkOf = async (email: string, subject: string) => {
    await smtp.waitForMessage(() => messagesTo(smtp, email, subject).length > 0);
    return linkIn(messagesTo(smtp, email, subject)[0]);
  };
  /** Registers and verifies through the mailed link; returns the account id. */
  const verified = async (email: string) => {
    expect((await register(http, email)).status).toBe(200);
    const link = await linkOf(email, 'Verify your email');
    const res = await http.post('/api/user/verify', { json: { email, token: link.searchParams.get('token') } });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startMailApp(smtp, { METRICS_ENABLED: 'true', METRICS_TOKEN });
    http = new HttpClient(app.url);
  });
  afterAll(async () => {
    await app?.stop();
    await smtp?.stop();
  });

  it('AU-11 verification and a completed reset move their counters and are audited, without the mailed tokens', async () => {
    await verified('admin@example.com');
    const adminToken = (await login(http, 'admin@example.com')).body.token as string;
    const before = await scrape();
    await verified('reset@example.com');
    expect((await http.post('/api/auth/requestPasswordReset', { json: { email: 'reset@example.com' } })).status).toBe(200);
    const link = await linkOf('reset@example.com', 'Password Reset Request');
    const userId = link.searchParams.get('userId') ?? '';
    const token = link.searchParams.get('token') ?? '';
    const reset = await http.post('/api/auth/resetPassword', { json: { userId, token, password: NEW_PASSWORD, confirm_password: NEW_PASSWORD } });
    expect(reset.status).toBe(200);
    const after = await scrape();
    for (const type of ['email.verified', 'password_reset.requested', 'password_reset.completed']) {
      expect([type, eventCount(after, type) - eventCount(before, type)]).toEqual([type, 1]);
    }
    const res = await http.get(`/api/admin/audit?userId=${userId}`, bearer(adminToken));
    expect(res.status).toBe(200);
    const types = res.body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['email.verified', 'password_reset.requested', 'password_reset.completed']));
    const raw = JSON.stringify(res.body);
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(NEW_PASSWORD);
    expect(raw).not.toContain(PASSWORD);
    expect(after).not.toContain(userId);
  });
});
