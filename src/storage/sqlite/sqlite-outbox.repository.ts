import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { NewOutboxMessage, OutboxMessage, OutboxRepository, OutboxStatus } from '../ports';
import { Millis, fromMillis } from './row-mapping';
import { SqliteDatabase } from './sqlite-database';

interface OutboxRow {
  id: string;
  kind: string;
  payload: string;
  status: OutboxStatus;
  attempts: number;
  available_at: Millis;
  last_error: string | null;
  lease_owner?: string | null;
  created_at: Millis;
  updated_at: Millis;
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare<OutboxRow>(`INSERT INTO outbox
      (id, kind, payload, status, attempts, available_at, last_error, created_at, updated_at)
      VALUES (@id, @kind, @payload, @status, @attempts, @available_at, @last_error, @created_at, @updated_at)`),
    due: db.prepare<[Millis, number], OutboxRow>(
      "SELECT * FROM outbox WHERE status = 'pending' AND available_at <= ? ORDER BY available_at, created_at, id LIMIT ?",
    ),
    lease: db.prepare<{ id: string; until: Millis; now: Millis; owner: string }, OutboxRow>(
      'UPDATE outbox SET available_at = @until, attempts = attempts + 1, lease_owner = @owner, updated_at = @now WHERE id = @id RETURNING *',
    ),
    renew: db.prepare<{ id: string; until: Millis; owner: string }>(
      "UPDATE outbox SET available_at = @until WHERE id = @id AND lease_owner = @owner AND status = 'pending'",
    ),
    markSent: db.prepare<[Millis, string]>("UPDATE outbox SET status = 'sent', updated_at = ? WHERE id = ?"),
    markFailed: db.prepare<{ id: string; status: OutboxStatus; error: string; retryAt: Millis | null; now: Millis }>(`
      UPDATE outbox SET status = @status, last_error = @error,
        available_at = coalesce(@retryAt, available_at), updated_at = @now
      WHERE id = @id`),
    byId: db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE id = ?'),
    oldestPending: db.prepare<[], { at: Millis | null }>("SELECT min(created_at) AS at FROM outbox WHERE status = 'pending'"),
    counts: db.prepare<[], { status: OutboxStatus; n: number }>('SELECT status, count(*) AS n FROM outbox GROUP BY status'),
  };
}

@Injectable()
export class SqliteOutboxRepository extends OutboxRepository {
  private readonly stmt: ReturnType<typeof prepare>;
  private readonly claimTx: Database.Transaction<(now: Millis, limit: number, leaseMs: number, owner: string) => OutboxRow[]>;

  constructor(sqlite: SqliteDatabase) {
    super();
    const stmt = (this.stmt = prepare(sqlite.db));
    // IMMEDIATE: two sender processes must not both select the same due rows before leasing them.
    this.claimTx = sqlite.db.transaction((now: Millis, limit: number, leaseMs: number, owner: string) =>
      stmt.due
        .all(now, limit)
        .map((r) => stmt.lease.get({ id: r.id, until: now + leaseMs, now, owner }))
        .filter((r): r is OutboxRow => r !== undefined),
    );
  }

  async enqueue(input: NewOutboxMessage, now: Date): Promise<OutboxMessage> {
    const row: OutboxRow = {
      id: randomUUID(),
      kind: input.kind,
      payload: input.payload,
      status: 'pending',
      attempts: 0,
      available_at: (input.availableAt ?? now).getTime(),
      last_error: null,
      created_at: now.getTime(),
      updated_at: now.getTime(),
    };
    this.stmt.insert.run(row);
    return outboxFromRow(row);
  }

  async claimDue(now: Date, limit: number, leaseMs: number, owner = 'unnamed'): Promise<OutboxMessage[]> {
    if (limit <= 0) return [];
    return this.claimTx.immediate(now.getTime(), limit, leaseMs, owner).map(outboxFromRow);
  }

  async renewLease(id: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
    return this.stmt.renew.run({ id, owner, until: now.getTime() + leaseMs }).changes > 0;
  }

  async markSent(id: string, now: Date): Promise<void> {
    this.stmt.markSent.run(now.getTime(), id);
  }

  async markFailed(id: string, error: string, retryAt: Date | null, now: Date): Promise<void> {
    this.stmt.markFailed.run({
      id,
      status: retryAt ? 'pending' : 'dead',
      error,
      retryAt: retryAt ? retryAt.getTime() : null,
      now: now.getTime(),
    });
  }

  async findById(id: string): Promise<OutboxMessage | null> {
    const row = this.stmt.byId.get(id);
    return row ? outboxFromRow(row) : null;
  }

  async countByStatus(): Promise<Record<OutboxStatus, number>> {
    const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, dead: 0 };
    for (const { status, n } of this.stmt.counts.all()) counts[status] = n;
    return counts;
  }

  async oldestPendingAt(): Promise<Date | null> {
    const at = this.stmt.oldestPending.get()?.at ?? null;
    return at === null ? null : fromMillis(at);
  }
}

function outboxFromRow(r: OutboxRow): OutboxMessage {
  return {
    id: r.id,
    kind: r.kind,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    availableAt: fromMillis(r.available_at),
    lastError: r.last_error,
    createdAt: fromMillis(r.created_at),
    updatedAt: fromMillis(r.updated_at),
  };
}
