import { Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { CounterValue, KeyValueStore } from '../ports';
import { Millis } from './row-mapping';
import { SqliteDatabase } from './sqlite-database';

interface KvRow {
  value: string;
  expires_at: Millis;
}

type Entry = { key: string; value: string; expiresAt: Millis; now: Millis };

function prepare(db: Database.Database) {
  return {
    // Expired rows linger until deleteExpired; every read filters them out so they act absent.
    get: db.prepare<[string, Millis], KvRow>('SELECT value, expires_at FROM kv WHERE key = ? AND expires_at > ?'),
    set: db.prepare<Omit<Entry, 'now'>>(`INSERT INTO kv (key, value, expires_at) VALUES (@key, @value, @expiresAt)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`),
    // The upsert only overwrites an expired row; a live one leaves `changes` at 0.
    setIfAbsent: db.prepare<Entry>(`INSERT INTO kv (key, value, expires_at) VALUES (@key, @value, @expiresAt)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
      WHERE kv.expires_at <= @now`),
    take: db.prepare<[string, Millis], KvRow>('DELETE FROM kv WHERE key = ? AND expires_at > ? RETURNING value, expires_at'),
    delete: db.prepare<[string]>('DELETE FROM kv WHERE key = ?'),
    deleteExpired: db.prepare<[Millis]>('DELETE FROM kv WHERE expires_at <= ?'),
  };
}

@Injectable()
export class SqliteKeyValueStore extends KeyValueStore {
  private readonly stmt: ReturnType<typeof prepare>;
  private readonly incrementTx: Database.Transaction<(key: string, by: number, ttlMs: number, now: Millis) => CounterValue>;

  constructor(private readonly sqlite: SqliteDatabase) {
    super();
    const stmt = (this.stmt = prepare(sqlite.db));
    this.incrementTx = sqlite.db.transaction((key: string, by: number, ttlMs: number, now: Millis) => {
      const live = stmt.get.get(key, now);
      const base = live ? Number(live.value) : 0;
      if (!Number.isFinite(base)) throw new TypeError(`kv key ${key} does not hold a counter`);
      // A new window starts only when there is no live one; later increments keep its end.
      const expiresAt = live ? live.expires_at : now + ttlMs;
      const value = base + by;
      stmt.set.run({ key, value: String(value), expiresAt });
      return { value, expiresAt: new Date(expiresAt) };
    });
  }

  async get(key: string, now: Date): Promise<string | null> {
    return this.stmt.get.get(key, now.getTime())?.value ?? null;
  }

  async set(key: string, value: string, ttlMs: number, now: Date): Promise<void> {
    this.stmt.set.run({ key, value, expiresAt: now.getTime() + ttlMs });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number, now: Date): Promise<boolean> {
    const at = now.getTime();
    return this.stmt.setIfAbsent.run({ key, value, expiresAt: at + ttlMs, now: at }).changes > 0;
  }

  async take(key: string, now: Date): Promise<string | null> {
    return this.stmt.take.get(key, now.getTime())?.value ?? null;
  }

  /** True when a row was removed; the port gives no clock, so an unswept expired row counts too. */
  async delete(key: string): Promise<boolean> {
    return this.stmt.delete.run(key).changes > 0;
  }

  async increment(key: string, by: number, ttlMs: number, now: Date): Promise<CounterValue> {
    // IMMEDIATE so another process cannot read the same old value between our read and write.
    // Counters only: not worth an fsync of their own (SqliteDatabase.unsynced).
    return this.sqlite.unsynced(() => this.incrementTx.immediate(key, by, ttlMs, now.getTime()));
  }

  async deleteExpired(now: Date): Promise<number> {
    return this.stmt.deleteExpired.run(now.getTime()).changes;
  }
}
