import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OneTimeTokenRepository, UserRepository } from '../../src/storage';
import { startApp, type RunningApp } from '../support/app.harness';
import { ensureBuilt, runCli } from '../support/cli.harness';
import { freePort } from '../support/free-port';
import { HttpClient } from '../support/http';
import { startSmtpServer, type SmtpServerHandle } from '../support/smtp';
import { CLIENT, linkIn, mailEnv, mailTo } from '../e2e/mail/mail-helpers';

/**
 * `invite-user` (docs/mail.md#invites) end to end: the CLI writes the invite and mails it through a real
 * SMTP server; the app, started afterwards on the same DATA_DIR (never both writing at once),
 * accepts the registration while ALLOW_REGISTRATION=false.
 */
const PASSWORD = 'orchard violin tuesday';
const FAST = { PASSWORD_HASH_COST: '4' };

beforeAll(() => ensureBuilt(), 180_000);

function freshDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-invite-'));
}

const toStrings = (env: Record<string, string | undefined>) => Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));

describe('invite-user', () => {
  let smtp: SmtpServerHandle;
  const apps: RunningApp[] = [];
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
  });
  afterAll(() => smtp.stop());

  async function app(dataDir: string, env: Record<string, string> = {}) {
    const running = await startApp({ ...mailEnv(smtp), ...FAST, DATA_DIR: dataDir, ...env });
    apps.push(running);
    return running;
  }
  const registerWith = (running: RunningApp, email: string, token: string | undefined, password = PASSWORD) =>
    new HttpClient(running.url).post('/api/auth/register', { json: { name: 'Invited Person', email, password, confirm_password: password, token } });

  it('mails a 7-day registration link that opens registration for that address only, and is spent by the registration', async () => {
    const dataDir = freshDataDir();
    const result = await runCli(['invite-user', 'Invitee@Example.com'], toStrings({ ...mailEnv(smtp), ...FAST, DATA_DIR: dataDir }));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^invite for invitee@example\.com sent \(valid until \S+\)$/m);

    const mail = await mailTo(smtp, 'invitee@example.com', 'Invite to join Gatehouse!');
    const link = linkIn(mail);
    expect(`${link.origin}${link.pathname}`).toBe(`${CLIENT}/register`);
    const token = link.searchParams.get('token') ?? '';
    // The link goes to the mailbox only, not to the terminal.
    expect(result.stdout).not.toContain(token);

    const running = await app(dataDir);
    const [invite] = await running.app.get(OneTimeTokenRepository).find({ type: 'invite', email: 'invitee@example.com' }, new Date());
    const days = (invite.expiresAt.getTime() - invite.createdAt.getTime()) / 86_400_000;
    expect(days).toBe(7);

    expect((await registerWith(running, 'invitee@example.com', undefined)).status).toBe(403);
    const otherAddress = await registerWith(running, 'someone-else@example.com', token);
    expect(otherAddress.status).toBe(400);
    expect(otherAddress.body).toEqual({ message: 'Invalid invite token', code: 'INVALID_INVITE_TOKEN' });
    const weak = await registerWith(running, 'invitee@example.com', token, 'short');
    expect(weak.body.code).toBe('PASSWORD_TOO_SHORT');

    // Neither failure spent the invite.
    const ok = await registerWith(running, 'invitee@example.com', token);
    expect(ok.status).toBe(200);
    expect(await running.app.get(UserRepository).findByEmail('invitee@example.com')).toMatchObject({ emailVerified: true });
    const login = await new HttpClient(running.url).post('/api/auth/login', { json: { email: 'invitee@example.com', password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(await running.app.get(OneTimeTokenRepository).find({ type: 'invite', email: 'invitee@example.com' }, new Date())).toEqual([]);
  });

  it('refuses to invite an existing account, and a made-up invite token', async () => {
    const dataDir = freshDataDir();
    const running = await app(dataDir, { ALLOW_REGISTRATION: 'true', ALLOW_UNVERIFIED_EMAIL_LOGIN: 'true' });
    expect((await registerWith(running, 'member@example.com', undefined)).status).toBe(200);
    const madeUp = await registerWith(running, 'guess@example.com', 'a'.repeat(64));
    expect(madeUp.body.code).toBe('INVALID_INVITE_TOKEN');
    await running.stop();

    const result = await runCli(['invite-user', 'member@example.com'], toStrings({ ...mailEnv(smtp), ...FAST, DATA_DIR: dataDir }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/already exists/);
    const invalid = await runCli(['invite-user', 'not-an-address'], toStrings({ ...FAST, DATA_DIR: dataDir }));
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/not a valid email address/);
  });

  it('without mail configured, prints the link for the operator (LibreChat could not: defect D-20)', async () => {
    const dataDir = freshDataDir();
    const result = await runCli(['invite-user', 'nomail@example.com'], { ...FAST, DATA_DIR: dataDir, DOMAIN_CLIENT: CLIENT });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${CLIENT.replace(/\./g, '\\.')}/register\\?token=[0-9a-f]{64}$`, 'm'));
  });

  it('with SMTP down, queues the invite and the server delivers it later', async () => {
    const dataDir = freshDataDir();
    const port = await freePort();
    const down = mailEnv({ host: '127.0.0.1', port });
    const result = await runCli(['invite-user', 'later@example.com'], toStrings({ ...down, ...FAST, DATA_DIR: dataDir }));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/invite for later@example\.com queued .*the server retries it/);

    const late = await startSmtpServer({ port });
    try {
      const running = await startApp({ ...down, ...FAST, DATA_DIR: dataDir });
      apps.push(running);
      const mail = await mailTo(late, 'later@example.com', 'Invite to join Gatehouse!', 10_000);
      expect(linkIn(mail).pathname).toBe('/register');
    } finally {
      await Promise.all(apps.splice(0).map((a) => a.stop()));
      await late.stop();
    }
  });

  it('check-config shows how mail is sent and how password reset behaves', async () => {
    const dataDir = freshDataDir();
    const withMail = await runCli(['check-config'], toStrings({ ...mailEnv(smtp), EMAIL_ENCRYPTION: 'starttls', DATA_DIR: dataDir }));
    expect(withMail.stdout).toMatch(/mail: +smtp 127\.0\.0\.1:\d+, STARTTLS required, from noreply@gatehouse\.test/);
    expect(withMail.stdout).toMatch(/password reset: by mail/);
    const insecure = await runCli(['check-config'], { DATA_DIR: dataDir, ALLOW_PASSWORD_RESET: 'true', ALLOW_INSECURE_PASSWORD_RESET: 'true' });
    expect(insecure.stdout).toMatch(/password reset: INSECURE/);
    expect(insecure.stdout).toMatch(/warning: ALLOW_INSECURE_PASSWORD_RESET: INSECURE/);
  });
});
