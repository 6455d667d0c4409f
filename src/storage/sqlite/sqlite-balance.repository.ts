import { Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { BALANCE_DEFAULTS, BalanceRecord, BalanceRepository, BalanceSync } from '../ports';
import { SqliteDatabase } from './sqlite-database';

interface BalanceRow {
  user_id: string;
  token_credits: number | null;
  auto_refill_enabled: number;
  refill_interval_value: number;
  refill_interval_unit: string;
  last_refill: number | null;
  refill_amount: number;
}

interface SyncParams {
  user: string;
  start: number;
  refill: number;
  auto: number;
  ival: number;
  iunit: string;
  amount: number;
  now: number;
}

const COLUMNS = 'user_id, token_credits, auto_refill_enabled, refill_interval_value, refill_interval_unit, last_refill, refill_amount';

function prepare(db: Database.Database) {
  return {
    find: db.prepare<[string], BalanceRow>(`SELECT ${COLUMNS} FROM balances WHERE user_id = ?`),
    deleteFor: db.prepare<[string]>('DELETE FROM balances WHERE user_id = ?'),
    // One statement: insert, or update the existing row from its own current values. Credits are
    // only set where missing, so a concurrent change to them is never overwritten.
    sync: db.prepare<SyncParams, BalanceRow>(
      `INSERT INTO balances (${COLUMNS}, updated_at)
         VALUES (@user, @start, @auto, @ival, @iunit, @now, @amount, @now)
       ON CONFLICT (user_id) DO UPDATE SET
         token_credits = coalesce(token_credits, excluded.token_credits),
         auto_refill_enabled = CASE WHEN @refill = 1 THEN 1 ELSE auto_refill_enabled END,
         refill_interval_value = CASE WHEN @refill = 1 THEN excluded.refill_interval_value ELSE refill_interval_value END,
         refill_interval_unit = CASE WHEN @refill = 1 THEN excluded.refill_interval_unit ELSE refill_interval_unit END,
         refill_amount = CASE WHEN @refill = 1 THEN excluded.refill_amount ELSE refill_amount END,
         last_refill = CASE WHEN @refill = 1 THEN coalesce(last_refill, excluded.last_refill) ELSE last_refill END,
         updated_at = excluded.updated_at
       RETURNING ${COLUMNS}`,
    ),
  };
}

function toRecord(row: BalanceRow): BalanceRecord {
  return {
    userId: row.user_id,
    tokenCredits: row.token_credits,
    autoRefillEnabled: row.auto_refill_enabled !== 0,
    refillIntervalValue: row.refill_interval_value,
    refillIntervalUnit: row.refill_interval_unit,
    lastRefill: row.last_refill === null ? null : new Date(row.last_refill),
    refillAmount: row.refill_amount,
  };
}

@Injectable()
export class SqliteBalanceRepository extends BalanceRepository {
  private readonly stmt: ReturnType<typeof prepare>;

  constructor(sqlite: SqliteDatabase) {
    super();
    this.stmt = prepare(sqlite.db);
  }

  async find(userId: string): Promise<BalanceRecord | null> {
    const row = this.stmt.find.get(userId);
    return row ? toRecord(row) : null;
  }

  async syncOnSignIn(userId: string, sync: BalanceSync, now: Date): Promise<BalanceRecord> {
    const refill = sync.autoRefill;
    const row = this.stmt.sync.get({
      user: userId,
      start: sync.startBalance,
      refill: refill ? 1 : 0,
      // A new record without auto-refill gets LibreChat's schema defaults (lastRefill included).
      auto: refill ? 1 : 0,
      ival: refill ? refill.intervalValue : BALANCE_DEFAULTS.refillIntervalValue,
      iunit: refill ? refill.intervalUnit : BALANCE_DEFAULTS.refillIntervalUnit,
      amount: refill ? refill.amount : BALANCE_DEFAULTS.refillAmount,
      now: now.getTime(),
    });
    if (!row) throw new Error('balance upsert returned no row');
    return toRecord(row);
  }

  async deleteFor(userId: string): Promise<number> {
    return this.stmt.deleteFor.run(userId).changes;
  }
}
