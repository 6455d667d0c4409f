import Database from 'better-sqlite3';
import * as path from 'node:path';
import { OutboxRepository } from '../../../src/storage';
import { startApp, type RunningApp } from '../../support/app.harness';
import { freePort } from '../../support/free-port';
import { HttpClient } from '../../support/http';
import { startSmtpServer, type SmtpServerHandle } from '../../support/smtp';
import { PASSWORD } from '../auth/auth-helpers';
import { eventually, mailEnv, mailTo, messagesTo, settleOutbox } from './mail-helpers';

/**
 * RL-04: the SMTP server is down (nothing listens on its port) when a reset is requested. The
 * client still gets the generic answer at once; the mail waits in the store, survives an app
 * restart, and is delivered exactly once when the server is back on the same port.
 */
describe('outbox under SMTP faults', () => {
  let port: number;
  let smtp: SmtpServerHandle | undefined;
  const apps: RunningApp[] = [];

  beforeEach(async () => {
    port = await freePort();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
    await smtp?.stop();
    smtp = undefined;
  });

  async function boot(dataDir?: string) {
    const app = await startApp({
      ...mailEnv({ host: '127.0.0.1', port }),
      PASSWORD_HASH_COST: '4',
      ALLOW_REGISTRATION: 'true',
      ALLOW_UNVERIFIED_EMAIL_LOGIN: 'true',
      ...(dataDir ? { DATA_DIR: dataDir } : {}),
    });
    apps.push(app);
    return app;
  }

  async function requestReset(app: RunningApp, email: string) {
    const started = Date.now();
    const res = await new HttpClient(app.url).post('/api/auth/requestPasswordReset', { json: { email } });
    return { res, ms: Date.now() - started };
  }

  async function mailHealth(app: RunningApp) {
    const res = await new HttpClient(app.url).get('/health/ready');
    expect(res.status).toBe(200);
    return res.body.info.mail as { pending: number; backlog: string; consecutiveFailures: number };
  }

  const register = (app: RunningApp, email: string) =>
    new HttpClient(app.url).post('/api/auth/register', { json: { name: 'Fault Tester', email, password: PASSWORD } });

  it('RL-04 SMTP down: generic 200 at once, readiness shows a growing backlog, delivery once SMTP is back', async () => {
    const app = await boot();
    await register(app, 'down@example.com');
    const { res, ms } = await requestReset(app, 'down@example.com');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'If an account with that email exists, a password reset link has been sent to it.' });
    // No SMTP work on the request path: far below the 2 s connection timeout, even on a busy machine.
    expect(ms).toBeLessThan(1_000);

    const growing = await eventually(
      async () => {
        const h = await mailHealth(app);
        return h.backlog === 'growing' && h.pending >= 2 ? h : undefined;
      },
      8_000,
      'a growing backlog',
    );
    expect(growing.consecutiveFailures).toBeGreaterThan(0);

    smtp = await startSmtpServer({ port });
    const mail = await mailTo(smtp, 'down@example.com', 'Password Reset Request', 10_000);
    expect(mail.text).toContain('/reset-password?token=');
    await eventually(async () => ((await mailHealth(app)).backlog === 'empty' ? true : undefined), 8_000, 'an empty backlog');
    await settleOutbox(app);
    expect(messagesTo(smtp, 'down@example.com', 'Password Reset Request')).toHaveLength(1);
    expect(messagesTo(smtp, 'down@example.com', 'Verify your email')).toHaveLength(1);
  });

  it('RL-04 mail queued while SMTP is down survives an app restart and is delivered once', async () => {
    const first = await boot();
    await register(first, 'restart@example.com');
    expect((await requestReset(first, 'restart@example.com')).res.status).toBe(200);
    const outbox = first.app.get(OutboxRepository);
    await eventually(async () => ((await outbox.countByStatus()).pending === 2 ? true : undefined), 5_000, 'two queued mails');
    await first.stop();

    smtp = await startSmtpServer({ port });
    // stop() waited for the worker's pass and cleared its timer: nothing of the first app can send now.
    expect(smtp.messages).toHaveLength(0);
    const second = await boot(first.dataDir);
    const reset = await mailTo(smtp, 'restart@example.com', 'Password Reset Request', 10_000);
    await mailTo(smtp, 'restart@example.com', 'Verify your email', 10_000);

    // The link from before the restart still resets the password.
    const link = new URL(/https?:\/\/\S+/.exec(reset.text ?? '')?.[0] ?? '');
    const done = await new HttpClient(second.url).post('/api/auth/resetPassword', {
      json: { userId: link.searchParams.get('userId'), token: link.searchParams.get('token'), password: 'after the restart' },
    });
    expect(done.status).toBe(200);
    await mailTo(smtp, 'restart@example.com', 'Password Reset Successfully');
    await settleOutbox(second);
    expect(
      messagesTo(smtp, 'restart@example.com')
        .map((m) => m.subject)
        .sort(),
    ).toEqual(['Password Reset Request', 'Password Reset Successfully', 'Verify your email']);
    expect(await second.app.get(OutboxRepository).countByStatus()).toEqual({ pending: 0, sent: 3, dead: 0 });
  });

  it('RL-04 a transient 4xx is retried with back-off; a refused recipient (5xx) is given up without retrying', async () => {
    smtp = await startSmtpServer({ port, fault: { stage: 'data', code: 451, message: 'try later' } });
    const app = await boot();
    await register(app, 'transient@example.com');
    const outbox = app.app.get(OutboxRepository);
    await eventually(async () => ((await mailHealth(app)).consecutiveFailures >= 2 ? true : undefined), 8_000, 'two failed attempts');
    smtp.setFault(undefined);
    await mailTo(smtp, 'transient@example.com', 'Verify your email');

    smtp.setFault({ stage: 'rcpt', code: 550, message: 'no such user' });
    await register(app, 'refused@example.com');
    await eventually(async () => ((await outbox.countByStatus()).dead === 1 ? true : undefined), 8_000, 'a dead message');
    await settleOutbox(app);
    const counts = await outbox.countByStatus();
    expect(counts).toEqual({ pending: 0, sent: 1, dead: 1 });
    const db = new Database(path.join(app.dataDir, 'gatehouse.db'), { readonly: true });
    try {
      const dead = db.prepare("SELECT attempts, last_error FROM outbox WHERE status = 'dead'").get() as { attempts: number; last_error: string };
      expect(dead.attempts).toBe(1);
      expect(dead.last_error).toMatch(/550/);
    } finally {
      db.close();
    }
  });

  it('RL-08 shutdown during a slow send is prompt, and no queued mail is lost', async () => {
    const slow = await startSmtpServer({ port, delayMs: 6_000 });
    const first = await boot();
    for (const name of ['s1', 's2', 's3']) await register(first, `${name}@example.com`);
    // The first mail is on the wire, its acknowledgement held back by the server.
    await slow.waitForMessage(() => true, 8_000);
    const started = Date.now();
    await first.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    await slow.stop();

    smtp = await startSmtpServer({ port });
    const second = await boot(first.dataDir);
    for (const name of ['s1', 's2', 's3']) await mailTo(smtp, `${name}@example.com`, 'Verify your email', 10_000);
    await eventually(async () => ((await second.app.get(OutboxRepository).countByStatus()).pending === 0 ? true : undefined), 8_000, 'an empty outbox');
    expect(await second.app.get(OutboxRepository).countByStatus()).toEqual({ pending: 0, sent: 3, dead: 0 });
  });
});
