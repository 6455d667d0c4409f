/** One stored security event (see common/security-events for the names). Never a secret. */
export interface AuditEventRecord {
  id: string;
  type: string;
  at: Date;
  userId: string | null;
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  method: string | null;
  provider: string | null;
  reason: string | null;
  details: Record<string, string | number | boolean | null>;
}

export type NewAuditEvent = Omit<AuditEventRecord, 'id'>;

export interface AuditQuery {
  userId?: string;
  type?: string;
  /** Inclusive lower bound of `at`. */
  from?: Date;
  /** Exclusive upper bound of `at`. */
  to?: Date;
  /** Only events older than this position (newest first): the last event of the previous page. */
  before?: { at: Date; id: string };
  limit: number;
}

/**
 * The persisted audit trail. Ids sort in insertion order within one millisecond, so (at, id)
 * is a total order and pages never skip or repeat an event.
 */
export abstract class AuditLog {
  abstract append(event: NewAuditEvent): Promise<AuditEventRecord>;
  /** Newest first, at most `limit`. */
  abstract query(query: AuditQuery): Promise<AuditEventRecord[]>;
  /** Removes events older than `cutoff`; returns how many. */
  abstract deleteOlderThan(cutoff: Date): Promise<number>;
}
