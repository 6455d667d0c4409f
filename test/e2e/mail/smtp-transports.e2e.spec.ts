import { OutboxRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { startSmtpServer, type SmtpServerHandle } from '../../support/smtp';
import { login, register } from '../auth/auth-helpers';
import { FROM, eventually, linkIn, mailTo, settleOutbox, startMailApp, writeTempFile } from './mail-helpers';

/**
 * The SMTP transport against a real SMTP server in every security mode LibreChat documents
 * (docs/librechat-differences.md#environment-variables). Each case registers an account, receives the verification mail, follows its link
 * and signs in: the whole path works, not just the socket.
 */
describe('mail transport over real SMTP', () => {
  const servers: SmtpServerHandle[] = [];
  const apps: RunningApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  async function smtp(options: Parameters<typeof startSmtpServer>[0]) {
    const server = await startSmtpServer(options);
    servers.push(server);
    return server;
  }
  async function app(server: SmtpServerHandle, env: Record<string, string> = {}) {
    const running = await startMailApp(server, env);
    apps.push(running);
    return running;
  }

  /** Registers, follows the mailed link to verify, then signs in. */
  async function verifyThroughMail(running: RunningApp, server: SmtpServerHandle, email: string) {
    const http = new HttpClient(running.url);
    expect((await register(http, email)).status).toBe(200);
    expect((await login(http, email)).status).toBe(403);
    const mail = await mailTo(server, email, 'Verify your email');
    expect(mail.from).toBe(FROM);
    const link = linkIn(mail);
    expect(`${link.origin}${link.pathname}`).toBe('https://chat.example.test/verify');
    expect(link.searchParams.get('email')).toBe(email);
    const verified = await http.post('/api/user/verify', { json: { email: link.searchParams.get('email'), token: link.searchParams.get('token') } });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ message: 'Email verification was successful', status: 'success' });
    expect((await login(http, email)).status).toBe(200);
    return mail;
  }

  it('plain SMTP (no TLS offered) delivers with an HTML and a text part', async () => {
    const server = await smtp({ mode: 'plain' });
    const running = await app(server);
    const mail = await verifyThroughMail(running, server, 'plain@example.com');
    expect(mail.secure).toBe(false);
    expect(mail.html).toContain('Verify email');
    expect(mail.text).toContain('expires in 24 hours');
  });

  it('EMAIL_ENCRYPTION=starttls upgrades the connection, trusting a self-signed CA from EMAIL_TLS_CA_FILE', async () => {
    const server = await smtp({ mode: 'starttls' });
    const ca = writeTempFile('ca.pem', server.ca ?? '');
    const running = await app(server, { EMAIL_ENCRYPTION: 'starttls', EMAIL_TLS_CA_FILE: ca });
    const mail = await verifyThroughMail(running, server, 'starttls@example.com');
    expect(mail.secure).toBe(true);
  });

  it('EMAIL_ENCRYPTION=starttls refuses to send in clear to a server that offers no STARTTLS (LibreChat defect D-30)', async () => {
    const server = await smtp({ mode: 'plain' });
    const running = await app(server, { EMAIL_ENCRYPTION: 'starttls' });
    expect((await register(new HttpClient(running.url), 'nostarttls@example.com')).status).toBe(200);
    const outbox = running.app.get(OutboxRepository);
    await eventually(
      async () => ((await outbox.countByStatus()).pending === 1 && (await readiness(running)).consecutiveFailures > 0 ? true : undefined),
      8_000,
      'a failed attempt',
    );
    expect(server.messages).toHaveLength(0);
  });

  it('STARTTLS with an untrusted certificate is refused, and nothing is sent in clear', async () => {
    const server = await smtp({ mode: 'starttls' });
    const running = await app(server, { EMAIL_ENCRYPTION: 'starttls' });
    expect((await register(new HttpClient(running.url), 'untrusted@example.com')).status).toBe(200);
    const health = await eventually(
      async () => {
        const h = await readiness(running);
        return h.consecutiveFailures > 0 ? h : undefined;
      },
      8_000,
      'a failed attempt',
    );
    expect(health.backlog).toBe('growing');
    expect(health.lastError).toMatch(/certificate|self.signed/i);
    await settleOutbox(running);
    expect(server.messages).toHaveLength(0);
  });

  it('STARTTLS with an untrusted certificate is accepted with EMAIL_ALLOW_SELFSIGNED=true', async () => {
    const server = await smtp({ mode: 'starttls' });
    const running = await app(server, { EMAIL_ENCRYPTION: 'starttls', EMAIL_ALLOW_SELFSIGNED: 'true' });
    const mail = await verifyThroughMail(running, server, 'selfsigned@example.com');
    expect(mail.secure).toBe(true);
  });

  it('EMAIL_ENCRYPTION=tls speaks implicit TLS from the first byte', async () => {
    const server = await smtp({ mode: 'implicitTls' });
    const ca = writeTempFile('ca.pem', server.ca ?? '');
    const running = await app(server, { EMAIL_ENCRYPTION: 'tls', EMAIL_TLS_CA_FILE: ca });
    const mail = await verifyThroughMail(running, server, 'implicit@example.com');
    expect(mail.secure).toBe(true);
  });

  it('AUTH with EMAIL_USERNAME and EMAIL_PASSWORD over STARTTLS', async () => {
    const server = await smtp({ mode: 'starttls', auth: { username: 'mailer', password: 's3cret-pass' } });
    const ca = writeTempFile('ca.pem', server.ca ?? '');
    const running = await app(server, { EMAIL_ENCRYPTION: 'starttls', EMAIL_TLS_CA_FILE: ca, EMAIL_USERNAME: 'mailer', EMAIL_PASSWORD: 's3cret-pass' });
    const mail = await verifyThroughMail(running, server, 'auth@example.com');
    expect(mail.user).toBe('mailer');
  });

  it('AUTH with wrong credentials delivers nothing and keeps the mail queued', async () => {
    const server = await smtp({ mode: 'plain', auth: { username: 'mailer', password: 's3cret-pass' } });
    const running = await app(server, { EMAIL_USERNAME: 'mailer', EMAIL_PASSWORD: 'wrong' });
    expect((await register(new HttpClient(running.url), 'badauth@example.com')).status).toBe(200);
    const health = await eventually(
      async () => {
        const h = await readiness(running);
        return h.consecutiveFailures > 0 ? h : undefined;
      },
      8_000,
      'a failed attempt',
    );
    expect(health.lastError).toMatch(/535|auth/i);
    expect(health.lastError).not.toContain('wrong');
    expect(server.messages).toHaveLength(0);
  });
});

interface MailHealth {
  pending: number;
  backlog: string;
  consecutiveFailures: number;
  lastError: string | null;
}

async function readiness(running: RunningApp): Promise<MailHealth> {
  const res = await new HttpClient(running.url).get('/health/ready');
  if (res.status !== 200) throw new Error(`readiness ${res.status}: ${res.text}`);
  return res.body.info.mail as MailHealth;
}
