import { Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { AuditEventRecord, AuditLog, AuditQuery, NewAuditEvent } from '../ports';
import { Millis } from './row-mapping';
import { SqliteDatabase } from './sqlite-database';

interface AuditRow {
  seq: number;
  type: string;
  at: Millis;
  user_id: string | null;
  actor_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  method: string | null;
  provider: string | null;
  reason: string | null;
  details: string;
}

function toRecord(row: AuditRow): AuditEventRecord {
  return {
    id: String(row.seq),
    type: row.type,
    at: new Date(row.at),
    userId: row.user_id,
    actorId: row.actor_id,
    ip: row.ip,
    userAgent: row.user_agent,
    requestId: row.request_id,
    method: row.method,
    provider: row.provider,
    reason: row.reason,
    details: JSON.parse(row.details) as AuditEventRecord['details'],
  };
}

/** The audit trail in `audit_events`; ids are the row sequence, so (at, seq) orders every event. */
@Injectable()
export class SqliteAuditLog extends AuditLog {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly prune: Database.Statement<[Millis]>;

  constructor(sqlite: SqliteDatabase) {
    super();
    this.db = sqlite.db;
    this.insert = this.db.prepare(`
      INSERT INTO audit_events (type, at, user_id, actor_id, ip, user_agent, request_id, method, provider, reason, details)
      VALUES (@type, @at, @userId, @actorId, @ip, @userAgent, @requestId, @method, @provider, @reason, @details)`);
    this.prune = this.db.prepare<[Millis]>('DELETE FROM audit_events WHERE at < ?');
  }

  async append(event: NewAuditEvent): Promise<AuditEventRecord> {
    const result = this.insert.run({ ...event, at: event.at.getTime(), details: JSON.stringify(event.details) });
    return { ...event, id: String(result.lastInsertRowid) };
  }

  async query(query: AuditQuery): Promise<AuditEventRecord[]> {
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: query.limit };
    if (query.userId !== undefined) {
      where.push('user_id = @userId');
      params.userId = query.userId;
    }
    if (query.type !== undefined) {
      where.push('type = @type');
      params.type = query.type;
    }
    if (query.from) {
      where.push('at >= @from');
      params.from = query.from.getTime();
    }
    if (query.to) {
      where.push('at < @to');
      params.to = query.to.getTime();
    }
    if (query.before) {
      const seq = Number(query.before.id);
      // A position this adapter never issued matches nothing rather than everything.
      if (!Number.isSafeInteger(seq)) return [];
      where.push('(at < @beforeAt OR (at = @beforeAt AND seq < @beforeSeq))');
      params.beforeAt = query.before.at.getTime();
      params.beforeSeq = seq;
    }
    const sql = `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, seq DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(params) as AuditRow[]).map(toRecord);
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    return this.prune.run(cutoff.getTime()).changes;
  }
}
