import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { freePort } from '../../support/free-port';
import { ensureMainBuilt, startMainProcess, waitFor200, type MainProcess } from '../../support/main-process';
import { startSmtpServer, type SmtpServerHandle } from '../../support/smtp';
import { PASSWORD } from '../auth/auth-helpers';
import { mailEnv, mailTo } from '../mail/mail-helpers';

/**
 * RL-12: kill -9 right after the state change committed and before the response. The process
 * crashes at the seam (TEST_CRASH_POINT) exactly there; the mail promised by the committed change
 * must be in the store and must go out after a restart, to a real SMTP server.
 */
describe('kill -9 between commit and response (dist/main.js)', () => {
  let smtp: SmtpServerHandle;
  const running: MainProcess[] = [];

  beforeAll(() => ensureMainBuilt(), 180_000);
  beforeEach(async () => {
    smtp = await startSmtpServer();
  });
  afterEach(async () => {
    for (const p of running.splice(0)) p.child.kill('SIGKILL');
    await smtp.stop();
  });

  function boot(dataDir: string, port: number, extra: Record<string, string> = {}): MainProcess {
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      PASSWORD_HASH_COST: '4',
      ALLOW_REGISTRATION: 'true',
      REGISTER_MAX: '1000',
      RESET_PASSWORD_MAX: '1000',
      ...(mailEnv({ host: '127.0.0.1', port: smtp.port }) as Record<string, string>),
      ...extra,
    };
    const p = startMainProcess(env);
    running.push(p);
    return p;
  }

  async function crashOnce(dataDir: string, send: (base: string) => Promise<Response>): Promise<void> {
    const port = await freePort();
    const crashing = boot(dataDir, port, { TEST_CRASH_POINT: 'after-mail-commit' });
    await waitFor200(`http://127.0.0.1:${port}/health`, 60_000);
    // The process dies before it answers: the client sees the connection drop, no status.
    await expect(send(`http://127.0.0.1:${port}`)).rejects.toThrow();
    expect(await crashing.exited).toBe('SIGKILL');
  }

  it('RL-12 a registration killed after its commit still has its verification mail delivered after restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-crash-'));
    const email = 'crash-register@example.com';
    await crashOnce(dataDir, (base) =>
      fetch(`${base}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Crash Test', email, password: PASSWORD, confirm_password: PASSWORD }),
      }),
    );
    // The account and its outbox row were committed together before the crash.
    const db = new Database(path.join(dataDir, 'gatehouse.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM users WHERE email = ?').get(email)).toEqual({ n: 1 });
      expect(db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    expect(smtp.messages).toHaveLength(0);

    const port = await freePort();
    const second = boot(dataDir, port);
    const mail = await mailTo(smtp, email, 'Verify your email', 30_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${second.output()}`);
    });
    expect(mail.text).toContain('/verify?token=');
  }, 180_000);

  it('RL-12 a password reset killed after its commit still sends the reset-done notice after restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-crash-'));
    const email = 'crash-reset@example.com';
    // First life: an account and a reset link, delivered normally.
    let port = await freePort();
    const first = boot(dataDir, port, { ALLOW_UNVERIFIED_EMAIL_LOGIN: 'true' });
    await waitFor200(`http://127.0.0.1:${port}/health`, 60_000);
    const post = (p: string, body: unknown) =>
      fetch(`http://127.0.0.1:${port}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/api/auth/register', { name: 'Crash Reset', email, password: PASSWORD, confirm_password: PASSWORD })).status).toBe(200);
    expect((await post('/api/auth/requestPasswordReset', { email })).status).toBe(200);
    const link = new URL(/https?:\/\/\S+/.exec((await mailTo(smtp, email, 'Password Reset Request', 30_000)).text ?? '')?.[0] ?? '');
    first.child.kill('SIGTERM');
    await first.exited;

    await crashOnce(dataDir, (base) =>
      fetch(`${base}/api/auth/resetPassword`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: link.searchParams.get('userId'), token: link.searchParams.get('token'), password: 'a new password after crash' }),
      }),
    );
    expect(smtp.messages.filter((m) => m.subject === 'Password Reset Successfully')).toHaveLength(0);
    port = await freePort();
    boot(dataDir, port);
    await mailTo(smtp, email, 'Password Reset Successfully', 30_000);
  }, 240_000);
});
