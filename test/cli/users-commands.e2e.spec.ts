import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OneTimeTokenRepository, SessionRepository, UserRepository } from '../../src/storage';
import { startApp, type RunningApp } from '../support/app.harness';
import { ensureBuilt, runCli, runCliInTerminal, terminalAvailable, type CliResult } from '../support/cli.harness';

/**
 * The account commands of the admin CLI against a real SQLite store, checked through the real
 * HTTP app. The app and the CLI never write the same file at the same time: the app is stopped
 * before a CLI command that writes and started again on the same DATA_DIR to check the result.
 */

const FAST = { PASSWORD_HASH_COST: '4' };

function freshDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-users-'));
}

function cliIn(dataDir: string, extraEnv: Record<string, string> = {}) {
  return (args: string[], input?: string): Promise<CliResult> => runCli(args, { DATA_DIR: dataDir, ...FAST, ...extraEnv }, input);
}

function createdId(result: CliResult): string {
  const match = /^created user ([0-9a-f]{24})$/m.exec(result.stdout);
  if (!match) throw new Error(`no "created user <id>" line in:\n${result.stdout}\n${result.stderr}`);
  return match[1];
}

/** No stack traces and no password hashes, whatever happened. */
function expectClean(result: CliResult): void {
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stdout + result.stderr).not.toMatch(/\$2[aby]\$\d\d\$/);
}

interface LoginResult {
  status: number;
  refreshCookie: string | null;
}

async function login(app: RunningApp, email: string, password: string): Promise<LoginResult> {
  const res = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  await res.text();
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('refreshToken='));
  return { status: res.status, refreshCookie: cookie ? cookie.split(';')[0] : null };
}

async function refresh(app: RunningApp, cookie: string): Promise<number> {
  const res = await fetch(`${app.url}/api/auth/refresh`, { method: 'POST', headers: { cookie } });
  await res.text();
  return res.status;
}

/** Starts the app on the data directory, runs `check` against it, and always stops it again. */
async function withApp<T>(dataDir: string, check: (app: RunningApp) => Promise<T>): Promise<T> {
  const app = await startApp({ DATA_DIR: dataDir, ...FAST });
  try {
    return await check(app);
  } finally {
    await app.stop();
  }
}

beforeAll(() => ensureBuilt(), 180_000);

describe('create-user', () => {
  const dataDir = freshDataDir();
  const cli = cliIn(dataDir);
  let generated = '';

  it('creates the first account as ADMIN and prints its id, email and role', async () => {
    const result = await cli(['create-user', 'Ada@Example.com', 'Ada Lovelace', 'ada', '--password', 'correct horse battery']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const id = createdId(result);
    expect(result.stdout).toContain('email:    ada@example.com');
    expect(result.stdout).toContain('role:     ADMIN');
    expect(result.stdout).toContain('verified: yes');
    expect(result.stdout).not.toContain('correct horse battery');
    const list = await cli(['list-users']);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\tada@example\\.com\\tada\\tAda Lovelace\\tlocal\\tADMIN\\t`, 'm'));
    expectClean(result);
  });

  it('makes later accounts USER, and honours --role ADMIN', async () => {
    const second = await cli(['create-user', 'bob@example.com', 'Bob', 'bob', '--password', 'bobs password']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('role:     USER');
    const third = await cli(['create-user', 'cy@example.com', 'Cy', 'cy', '--password', 'cys password', '--role', 'admin']);
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('role:     ADMIN');
    const list = await cli(['list-users']);
    expect(list.stdout).toMatch(/\tbob@example\.com\tbob\tBob\tlocal\tUSER\t/);
    expect(list.stdout).toMatch(/\tcy@example\.com\tcy\tCy\tlocal\tADMIN\t/);
    expect(list.stdout).toContain('3 users');
  });

  it('reads the password from the first line of stdin when it is not a terminal', async () => {
    const result = await cli(['create-user', 'dee@example.com', 'Dee', 'dee'], 'from stdin 123\nignored second line\n');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('generated password');
  });

  it('generates a 20-character password when stdin is empty, and prints it once', async () => {
    const result = await cli(['create-user', 'eve@example.com', 'Eve', 'eve'], '');
    expect(result.code).toBe(0);
    const match = /^generated password \(shown only this once\): (\S+)$/m.exec(result.stdout);
    expect(match).not.toBeNull();
    generated = match![1];
    expect(generated).toHaveLength(20);
    expect(result.stdout.split(generated)).toHaveLength(2);
  });

  it('--unverified leaves the email unverified', async () => {
    const result = await cli(['create-user', 'fay@example.com', 'Fay', 'fay', '--password', 'fays password', '--unverified']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('verified: no');
    const json = JSON.parse((await cli(['list-users', '--json'])).stdout) as Array<{ email: string; emailVerified: boolean }>;
    expect(json.find((u) => u.email === 'fay@example.com')?.emailVerified).toBe(false);
    expect(json.find((u) => u.email === 'eve@example.com')?.emailVerified).toBe(true);
  });

  it('the passwords set by the CLI sign in through the HTTP API', async () => {
    await withApp(dataDir, async (app) => {
      expect((await login(app, 'ada@example.com', 'correct horse battery')).status).toBe(200);
      expect((await login(app, 'dee@example.com', 'from stdin 123')).status).toBe(200);
      expect((await login(app, 'eve@example.com', generated)).status).toBe(200);
      expect((await login(app, 'eve@example.com', 'wrong password')).status).toBe(401);
    });
  });

  it('refuses an existing email, whatever its case', async () => {
    const result = await cli(['create-user', 'ADA@example.COM', 'Other', 'other', '--password', 'another password']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('user with email ada@example.com already exists\n');
    expect(result.stdout).toBe('');
  });

  it('refuses an existing username', async () => {
    const result = await cli(['create-user', 'new@example.com', 'New', 'BOB', '--password', 'another password']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('user with username BOB already exists\n');
  });

  it('PW-03 create-user refuses a common password with the same message as the API', async () => {
    const common = await cli(['create-user', 'hugo@example.com', 'Hugo', 'hugo', '--password', 'iloveyou123']);
    expect(common.code).toBe(1);
    expect(common.stderr).toMatch(/^This password is on a list of common or breached passwords\./);
    expect((await cli(['list-users'])).stdout).not.toContain('hugo@example.com');
  });

  it('enforces the password policy and says what the rule is', async () => {
    const short = await cli(['create-user', 'gus@example.com', 'Gus', 'gus', '--password', 'short']);
    expect(short.code).toBe(1);
    expect(short.stderr).toBe('The password must be at least 8 characters long.\n');
    const fromStdin = await cli(['create-user', 'gus@example.com', 'Gus', 'gus'], 'short\n');
    expect(fromStdin.code).toBe(1);
    expect(fromStdin.stderr).toBe('The password must be at least 8 characters long.\n');
    const blank = await cli(['create-user', 'gus@example.com', 'Gus', 'gus', '--password', '          ']);
    expect(blank.code).toBe(1);
    expect(blank.stderr).toBe('The password must not be blank.\n');
    expect((await cli(['list-users'])).stdout).not.toContain('gus@example.com');
    expectClean(short);
  });

  it('rejects a malformed email, username or role with one line and exit code 1', async () => {
    const email = await cli(['create-user', 'not-an-email', 'X', 'x', '--password', 'long enough 1']);
    expect(email.code).toBe(1);
    expect(email.stderr).toBe('"not-an-email" is not a valid email address\n');
    const username = await cli(['create-user', 'x@example.com', 'X', 'x y', '--password', 'long enough 1']);
    expect(username.code).toBe(1);
    expect(username.stderr).toContain('the username may contain letters, digits');
    const role = await cli(['create-user', 'x@example.com', 'X', 'x', '--password', 'long enough 1', '--role', 'ROOT']);
    expect(role.code).toBe(1);
    expect(role.stderr).toContain('--role: "ROOT" is not one of ADMIN, USER');
    const missing = await cli(['create-user', 'x@example.com']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("missing required argument 'name'");
    for (const r of [email, username, role, missing]) expectClean(r);
  });

  it('applies the domain allow-list but not the registration switch', async () => {
    const restricted = cliIn(dataDir, { REGISTRATION_ALLOWED_DOMAINS: 'example.com', ALLOW_REGISTRATION: 'false' });
    const refused = await restricted(['create-user', 'hal@elsewhere.org', 'Hal', 'hal', '--password', 'hals password']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('the domain of hal@elsewhere.org is not in REGISTRATION_ALLOWED_DOMAINS (example.com)\n');
    const allowed = await restricted(['create-user', 'hal@example.com', 'Hal', 'hal', '--password', 'hals password']);
    expect(allowed.code).toBe(0);
  });
});

describe('reset-password', () => {
  const dataDir = freshDataDir();
  const cli = cliIn(dataDir);

  beforeAll(async () => {
    expect((await cli(['create-user', 'ada@example.com', 'Ada', 'ada', '--password', 'old password 1'])).code).toBe(0);
  });

  it('sets the new password and ends every session; the email matches case-insensitively', async () => {
    const cookies = await withApp(dataDir, async (app) => {
      const first = await login(app, 'ada@example.com', 'old password 1');
      const second = await login(app, 'ada@example.com', 'old password 1');
      expect(first.status).toBe(200);
      expect(first.refreshCookie).toBeTruthy();
      return [first.refreshCookie!, second.refreshCookie!];
    });

    const result = await cli(['reset-password', 'ADA@Example.COM', '--password', 'new password 2']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^password of ada@example\.com \([0-9a-f]{24}\) changed; ended 2 sessions$/m);
    expectClean(result);

    await withApp(dataDir, async (app) => {
      expect(await refresh(app, cookies[0])).toBe(401);
      expect(await refresh(app, cookies[1])).toBe(401);
      expect((await login(app, 'ada@example.com', 'old password 1')).status).toBe(401);
      expect((await login(app, 'ada@example.com', 'new password 2')).status).toBe(200);
    });
  });

  it('reads the new password from stdin when it is not a terminal', async () => {
    const result = await cli(['reset-password', 'ada@example.com'], 'stdin password 3\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ended 1 session\n');
    await withApp(dataDir, async (app) => {
      expect((await login(app, 'ada@example.com', 'new password 2')).status).toBe(401);
      expect((await login(app, 'ada@example.com', 'stdin password 3')).status).toBe(200);
    });
  });

  it("PW-03 refuses a common password and one built from the account's own words, changing nothing", async () => {
    const common = await cli(['reset-password', 'ada@example.com', '--password', 'password123']);
    expect(common.code).toBe(1);
    expect(common.stderr).toMatch(/^This password is on a list of common or breached passwords\./);
    const personal = await cli(['reset-password', 'ada@example.com', '--password', 'Ada@2024!!']);
    expect(personal.code).toBe(1);
    expect(personal.stderr).toMatch(/must not be built from your email address, your name/);
    await withApp(dataDir, async (app) => {
      expect((await login(app, 'ada@example.com', 'password123')).status).toBe(401);
    });
  });

  it('refuses an empty stdin and a password the policy rejects, changing nothing', async () => {
    const empty = await cli(['reset-password', 'ada@example.com'], '');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^no password given .*nothing was changed\n$/);
    const short = await cli(['reset-password', 'ada@example.com', '--password', 'short']);
    expect(short.code).toBe(1);
    expect(short.stderr).toBe('The password must be at least 8 characters long.\n');
    await withApp(dataDir, async (app) => {
      expect((await login(app, 'ada@example.com', 'stdin password 3')).status).toBe(200);
    });
  });

  it('fails for an unknown email', async () => {
    const result = await cli(['reset-password', 'nobody@example.com', '--password', 'whatever 123']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('no user with email nobody@example.com\n');
    expect(result.stdout).toBe('');
  });
});

describe('delete-user', () => {
  const dataDir = freshDataDir();
  const cli = cliIn(dataDir);
  let adaId = '';
  let bobId = '';

  beforeAll(async () => {
    adaId = createdId(await cli(['create-user', 'ada@example.com', 'Ada', 'ada', '--password', 'adas password']));
    bobId = createdId(await cli(['create-user', 'bob@example.com', 'Bob', 'bob', '--password', 'bobs password']));
  });

  it('refuses to delete without --yes when stdin is not a terminal', async () => {
    const result = await cli(['delete-user', 'bob@example.com']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('not deleting bob@example.com without confirmation: stdin is not a terminal, pass --yes\n');
    expect((await cli(['list-users'])).stdout).toContain('bob@example.com');
  });

  it('removes the account with its sessions and one-time tokens', async () => {
    const cookie = await withApp(dataDir, async (app) => {
      const signedIn = await login(app, 'bob@example.com', 'bobs password');
      expect(signedIn.status).toBe(200);
      await app.app
        .get(OneTimeTokenRepository)
        .create({ type: 'verify', userId: bobId, tokenHash: 'x'.repeat(64), expiresAt: new Date(Date.now() + 3_600_000) });
      expect(await app.app.get(SessionRepository).listByUser(bobId, new Date())).toHaveLength(1);
      return signedIn.refreshCookie!;
    });

    const result = await cli(['delete-user', 'Bob@EXAMPLE.com', '--yes']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`deleted user ${bobId} (bob@example.com); ended 1 active session\n`);

    await withApp(dataDir, async (app) => {
      expect(await app.app.get(UserRepository).findById(bobId)).toBeNull();
      expect(await app.app.get(SessionRepository).listByUser(bobId, new Date())).toEqual([]);
      expect(await app.app.get(OneTimeTokenRepository).find({ userId: bobId }, new Date())).toEqual([]);
      expect(await refresh(app, cookie)).toBe(401);
      expect((await login(app, 'bob@example.com', 'bobs password')).status).toBe(401);
      expect(await app.app.get(UserRepository).findById(adaId)).not.toBeNull();
    });
  });

  it('fails for an unknown email', async () => {
    const result = await cli(['delete-user', 'bob@example.com', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('no user with email bob@example.com\n');
  });
});

(terminalAvailable() ? describe : describe.skip)('on a terminal', () => {
  const dataDir = freshDataDir();
  const env = { DATA_DIR: dataDir, ...FAST };

  beforeAll(async () => {
    expect((await runCli(['create-user', 'ada@example.com', 'Ada', 'ada', '--password', 'adas password'], env)).code).toBe(0);
  });

  it('create-user asks for the password twice without echoing it', async () => {
    const { code, transcript } = await runCliInTerminal(['create-user', 'bob@example.com', 'Bob', 'bob'], env, [
      { waitFor: /New password \(empty: generate one\): /, send: 'typed secret 1\r' },
      { waitFor: /Repeat the password: /, send: 'typed secret 1\r' },
    ]);
    expect(code).toBe(0);
    expect(transcript).toContain('created user ');
    expect(transcript).not.toContain('typed secret 1');
    await withApp(dataDir, async (app) => {
      expect((await login(app, 'bob@example.com', 'typed secret 1')).status).toBe(200);
    });
  });

  it('reset-password refuses two different entries', async () => {
    const { code, transcript } = await runCliInTerminal(['reset-password', 'bob@example.com'], env, [
      { waitFor: /New password: /, send: 'typed secret 2\r' },
      { waitFor: /Repeat the password: /, send: 'typed secret 3\r' },
    ]);
    expect(code).toBe(1);
    expect(transcript).toContain('the passwords do not match; nothing was changed');
  });

  it('delete-user asks for confirmation and keeps the account unless told yes', async () => {
    const no = await runCliInTerminal(['delete-user', 'bob@example.com'], env, [{ waitFor: /\[y\/N\] /, send: 'n\r' }]);
    expect(no.code).toBe(1);
    expect(no.transcript).toContain('cancelled; nothing was deleted');
    const yes = await runCliInTerminal(['delete-user', 'bob@example.com'], env, [{ waitFor: /\[y\/N\] /, send: 'y\r' }]);
    expect(yes.code).toBe(0);
    expect(yes.transcript).toContain('deleted user ');
    expect((await runCli(['list-users'], env)).stdout).not.toContain('bob@example.com');
  });
});
