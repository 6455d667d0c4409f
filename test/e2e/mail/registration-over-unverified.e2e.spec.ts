import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { startSmtpServer, type SmtpServerHandle } from '../../support/smtp';
import { login, register } from '../auth/auth-helpers';
import { linkIn, messagesTo, settleOutbox, startMailApp } from './mail-helpers';

const ATTACKER_PASSWORD = 'attacker picked this one';
const VICTIM_PASSWORD = 'the owner chose this';

/**
 * RS-09: an attacker registers the victim's address first; the victim registers the same address
 * (same generic answer), gets a verification link and proves the mailbox. From then on only the
 * password of the registration whose link was used signs in, never the attacker's.
 */
describe('RS-09 registration over an unverified account (real SMTP)', () => {
  let smtp: SmtpServerHandle;
  let app: RunningApp;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startMailApp(smtp);
  });
  afterAll(async () => {
    await app?.stop();
    await smtp?.stop();
  });

  /** The `index`-th verification mail to `email`, once it has arrived. */
  const link = async (email: string, index: number) => {
    await smtp.waitForMessage(() => messagesTo(smtp, email, 'Verify your email').length > index);
    return linkIn(messagesTo(smtp, email, 'Verify your email')[index]);
  };
  const verify = (http: HttpClient, url: URL) =>
    http.post('/api/user/verify', { json: { email: url.searchParams.get('email'), token: url.searchParams.get('token') } });
  const expectRefused = async (http: HttpClient, email: string, password: string) => {
    const res = await login(http, email, password);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
  };

  it("RS-09 after the victim re-registers, asks for a new mail and verifies, only the victim's password signs in", async () => {
    const email = 'victim@example.com';
    const attacker = new HttpClient(app.url);
    const victim = new HttpClient(app.url);
    const first = await register(attacker, email, ATTACKER_PASSWORD, { name: 'Attacker' });
    const second = await register(victim, email, VICTIM_PASSWORD, { name: 'Victim' });
    expect({ status: second.status, body: second.body }).toEqual({ status: first.status, body: first.body });
    const attackersLink = await link(email, 0);

    await link(email, 1);
    expect((await victim.post('/api/user/verify/resend', { json: { email } })).status).toBe(200);
    const resent = await link(email, 2);
    expect((await verify(victim, resent)).body).toMatchObject({ status: 'success' });

    await expectRefused(attacker, email, ATTACKER_PASSWORD);
    const signedIn = await login(victim, email, VICTIM_PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ email, emailVerified: true, name: 'Victim' });
    // The link of the attacker's registration was voided by the later ones.
    expect((await verify(attacker, attackersLink)).body.code).toBe('INVALID_VERIFICATION_TOKEN');
  });

  it("RS-09 the link mailed for the victim's own registration activates the victim's password", async () => {
    const email = 'owner@example.com';
    const attacker = new HttpClient(app.url);
    const victim = new HttpClient(app.url);
    await register(attacker, email, ATTACKER_PASSWORD);
    await link(email, 0);
    await register(victim, email, VICTIM_PASSWORD);
    expect((await verify(victim, await link(email, 1))).status).toBe(200);
    await expectRefused(attacker, email, ATTACKER_PASSWORD);
    expect((await login(victim, email, VICTIM_PASSWORD)).status).toBe(200);
  });

  it('RS-09 a registration over a verified account changes nothing and sends nothing', async () => {
    const email = 'proven@example.com';
    const owner = new HttpClient(app.url);
    await register(owner, email, VICTIM_PASSWORD);
    expect((await verify(owner, await link(email, 0))).status).toBe(200);
    const stranger = new HttpClient(app.url);
    expect((await register(stranger, email, ATTACKER_PASSWORD)).status).toBe(200);
    await settleOutbox(app);
    expect(messagesTo(smtp, email, 'Verify your email')).toHaveLength(1);
    await expectRefused(stranger, email, ATTACKER_PASSWORD);
    expect((await login(owner, email, VICTIM_PASSWORD)).status).toBe(200);
  });
});
