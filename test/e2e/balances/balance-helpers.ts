import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { RunningApp } from '../../support/app.harness';
import { BalanceRepository, SessionRepository, UserRepository, type BalanceRecord } from '../../../src/storage';
import { SqliteStorageModule } from '../../../src/storage/sqlite/sqlite-storage.module';

/** A librechat.yaml with a `balance` section (start 1000, auto-refill every 7 days by 250). */
export const REFILL_YAML = `
version: 1.2.1
balance:
  enabled: true
  startBalance: 1000
  autoRefillEnabled: true
  refillIntervalValue: 7
  refillIntervalUnit: days
  refillAmount: 250
`;

export function configFile(yaml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-balance-cfg-'));
  const file = path.join(dir, 'librechat.yaml');
  fs.writeFileSync(file, yaml);
  return file;
}

export async function userIdOf(app: RunningApp, email: string): Promise<string> {
  const user = await app.app.get(UserRepository).findByEmail(email);
  if (!user) throw new Error(`no account for ${email}`);
  return user.id;
}

export async function balanceOf(app: RunningApp, email: string): Promise<BalanceRecord | null> {
  return app.app.get(BalanceRepository).find(await userIdOf(app, email));
}

/**
 * What a sign-in leaves behind for an account: live refresh sessions and stored IdP logins
 * (token reuse). A sign-in that failed must leave both as they were.
 */
export async function storedLoginsOf(app: RunningApp, email: string): Promise<{ sessions: number; idpLogins: number }> {
  const userId = await userIdOf(app, email);
  const sessions = (await app.app.get(SessionRepository).listByUser(userId, new Date())).length;
  const raw = rawStore(app);
  try {
    const { n } = raw.prepare('SELECT COUNT(*) AS n FROM idp_tokens WHERE user_id = ?').get(userId) as { n: number };
    return { sessions, idpLogins: n };
  } finally {
    raw.close();
  }
}

/** A second connection to the app's SQLite file, as LibreChat-side tooling or an operator would open it. */
export function rawStore(app: RunningApp): Database.Database {
  return new Database(SqliteStorageModule.fileIn(app.dataDir));
}

/**
 * A real store fault in the balance step only: while the next balance write runs, another
 * connection holds the file's write lock, so the write waits out the busy timeout and fails with
 * SQLITE_BUSY from the driver. Everything before it (account, session) worked.
 */
export function lockStoreDuringNextBalanceWrite(app: RunningApp): jest.SpyInstance {
  const repo = app.app.get(BalanceRepository);
  const original = repo.syncOnSignIn.bind(repo);
  return jest.spyOn(repo, 'syncOnSignIn').mockImplementationOnce(async (...args) => {
    const other = rawStore(app);
    other.exec('BEGIN EXCLUSIVE');
    try {
      return await original(...args);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });
}

export function balanceRows(app: RunningApp): number {
  const raw = rawStore(app);
  try {
    return raw.prepare('SELECT count(*) FROM balances').pluck().get() as number;
  } finally {
    raw.close();
  }
}

/** Deletes the user's balance record through a second connection (as LibreChat's delete tooling would). */
export function deleteBalance(app: RunningApp, userId: string): void {
  const raw = rawStore(app);
  try {
    raw.prepare('DELETE FROM balances WHERE user_id = ?').run(userId);
  } finally {
    raw.close();
  }
}
