import type Database from 'better-sqlite3';
import { Migration } from './migrations';

/**
 * Brings the schema up to date. Each migration runs in its own IMMEDIATE transaction together
 * with its `schema_migrations` row, so a crash leaves the schema at a recorded version and two
 * processes opening the same file at once cannot both apply the same step.
 * `now` stamps each applied row. Returns the versions applied by this call.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], now: () => Date): number[] {
  assertOrdered(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
  )`);
  const isApplied = db.prepare<[number], { version: number }>('SELECT version FROM schema_migrations WHERE version = ?');
  const record = db.prepare<[number, string]>('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');

  const applied: number[] = [];
  const applyOne = db.transaction((m: Migration) => {
    // Re-checked inside the write lock: another process may have applied it meanwhile.
    if (isApplied.get(m.version)) return;
    db.exec(m.sql);
    record.run(m.version, now().toISOString());
    applied.push(m.version);
  });
  for (const m of migrations) {
    if (!isApplied.get(m.version)) applyOne.immediate(m);
  }
  return applied;
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version < 1 || (i > 0 && m.version <= migrations[i - 1].version)) {
      throw new Error(`sqlite migrations must have strictly increasing positive versions (at ${m.name})`);
    }
  });
}
