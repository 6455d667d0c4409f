import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database, { type Statement } from 'better-sqlite3';
import { RECENT_LOOKUP_MS } from '../../src/common/recent-cache';
import { ModerationRepository, SessionRepository, UserRepository } from '../../src/storage';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database';
import { openStore } from './storage-conformance';
import type { RunningApp } from '../support/app.harness';
import { holdClock } from '../support/clock';
import { HttpClient } from '../support/http';
import { bearer, login, refreshWith, register, startAuthApp } from '../e2e/auth/auth-helpers';

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

/**
 * Every statement the three hot paths actually execute, recorded from the running application
 * (not from a list this test keeps): better-sqlite3's `prepare` is wrapped before the app opens its
 * store, and each execution of a statement while `recording` is on notes its SQL.
 */
describe('SQLite statements executed by login, refresh and bearer requests', () => {
  const executed = new Map<string, Set<string>>();
  let recording: string | null = null;
  const originalPrepare = Database.prototype.prepare;
  let app: RunningApp;

  beforeAll(async () => {
    Database.prototype.prepare = function prepareRecorded(this: Database.Database, ...args: unknown[]) {
      const statement = (originalPrepare as (...a: unknown[]) => Statement).apply(this, args);
      for (const method of ['run', 'get', 'all', 'iterate'] as const) {
        const call = statement[method].bind(statement) as (...a: unknown[]) => unknown;
        (statement as unknown as Record<string, unknown>)[method] = (...a: unknown[]) => {
          if (recording) (executed.get(recording) ?? executed.set(recording, new Set()).get(recording)!).add(statement.source);
          return call(...a);
        };
      }
      return statement;
    } as typeof Database.prototype.prepare;
    app = await startAuthApp();
  });

  afterAll(async () => {
    Database.prototype.prepare = originalPrepare;
    await app?.stop();
    if (app) fs.rmSync(app.dataDir, { recursive: true, force: true });
  });

  it('every statement they execute uses an index, never a full table scan', async () => {
    const clock = holdClock(app);
    const http = new HttpClient(app.url);
    expect((await register(http, 'plans@example.com')).status).toBe(200);

    recording = 'login';
    const signedIn = await login(http, 'plans@example.com');
    expect(signedIn.status).toBe(200);
    // Past the bearer path's recent-lookup window, so the user and ban lookups reach the store.
    clock.advance(RECENT_LOOKUP_MS + 1);
    recording = 'bearer';
    expect((await http.get('/api/user', bearer(signedIn.body.token))).status).toBe(200);
    clock.advance(RECENT_LOOKUP_MS + 1);
    recording = 'refresh';
    const refreshed = await refreshWith(app, http.jar.get('refreshToken') ?? '');
    expect(refreshed.status).toBe(200);
    recording = null;
    clock.restore();

    const { db } = app.app.get(SqliteDatabase);
    const report = [...executed].flatMap(([path, sources]) =>
      [...sources].map((sql) => ({ path, sql: sql.replace(/\s+/g, ' ').trim(), fullScans: planOf(db, sql).filter(fullScan) })),
    );
    // Each path reads the store: the user by email (login), the session by refresh hash (refresh),
    // the user by id (bearer), and the ban verdicts on all three.
    expect([...executed.keys()].sort()).toEqual(['bearer', 'login', 'refresh']);
    expect(report.filter((r) => /FROM users WHERE email = /.test(r.sql)).map((r) => r.path)).toContain('login');
    expect(report.filter((r) => /FROM sessions WHERE token_hash = /.test(r.sql)).map((r) => r.path)).toContain('refresh');
    expect(report.filter((r) => /FROM users WHERE id = /.test(r.sql)).map((r) => r.path)).toContain('bearer');
    expect(report.filter((r) => r.fullScans.length > 0)).toEqual([]);
  });
});
