import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Statement } from 'better-sqlite3';
import { ModerationRepository, SessionRepository, UserRepository } from '../../src/storage';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database';
import { openStore } from './storage-conformance';

/**
 * The statements of the paths that run on every sign-in, refresh and API call must find their rows
 * through an index, so their cost does not grow with the number of users and sessions (issue 17:
 * a million of each). The statements are taken from the repositories themselves (their prepared
 * SQL), so a changed query is checked as it is, not as this test remembers it.
 */
const HOT: Record<string, { port: abstract new (...args: never[]) => object; statements: string[] }> = {
  users: { port: UserRepository, statements: ['byId', 'byEmail', 'update'] },
  sessions: { port: SessionRepository, statements: ['byId', 'byCurrent', 'byPrevious', 'rotate', 'touch', 'delete', 'deleteByUser', 'listByUser'] },
  bans: { port: ModerationRepository, statements: ['activeBan'] },
};

/** EXPLAIN QUERY PLAN needs every parameter bound; NULL keeps `col = ?` an equality the planner can index. */
function planOf(db: SqliteDatabase['db'], sql: string): string[] {
  const bare = sql.replace(/@\w+|\?/g, 'NULL');
  return db
    .prepare(`EXPLAIN QUERY PLAN ${bare}`)
    .all()
    .map((row) => (row as { detail: string }).detail);
}

/** A full scan reads as `SCAN <table>` without an index; `SCAN ... USING (COVERING) INDEX` is an ordered index walk. */
const fullScan = (detail: string) => /^SCAN \w+$/.test(detail.trim());

describe('SQLite query plans of the hot paths', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-plans-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('login, refresh and bearer statements use an index, never a full table scan', async () => {
    const store = await openStore({
      kind: 'sqlite',
      dataDir: dir,
      mongoUri: null,
      mongoServerSelectionTimeoutMs: 2000,
      redisUri: null,
      redisKeyPrefix: 'gatehouse:',
      credsKey: 'a'.repeat(64),
    });
    try {
      const { db } = store.get(SqliteDatabase);
      const checked: string[] = [];
      for (const [name, { port, statements }] of Object.entries(HOT)) {
        // The port may be the announcing wrapper; its prototype chain leads to the adapter's statements.
        const stmt = (store.get(port) as unknown as { stmt: Record<string, Statement> }).stmt;
        for (const key of statements) {
          const source = stmt[key]?.source;
          expect({ statement: `${name}.${key}`, found: typeof source === 'string' }).toEqual({ statement: `${name}.${key}`, found: true });
          const plan = planOf(db, source);
          expect({ statement: `${name}.${key}`, plan, fullScans: plan.filter(fullScan) }).toEqual({ statement: `${name}.${key}`, plan, fullScans: [] });
          checked.push(`${name}.${key}`);
        }
      }
      expect(checked).toHaveLength(Object.values(HOT).reduce((n, h) => n + h.statements.length, 0));
    } finally {
      await store.close();
    }
  });

  it('the check itself sees a full scan when there is one', async () => {
    const store = await openStore({
      kind: 'sqlite',
      dataDir: dir,
      mongoUri: null,
      mongoServerSelectionTimeoutMs: 2000,
      redisUri: null,
      redisKeyPrefix: 'gatehouse:',
      credsKey: 'a'.repeat(64),
    });
    try {
      const { db } = store.get(SqliteDatabase);
      expect(planOf(db, 'SELECT * FROM users WHERE name = ?').filter(fullScan)).toEqual(['SCAN users']);
    } finally {
      await store.close();
    }
  });
});
