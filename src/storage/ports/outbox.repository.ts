/**
 * Durable queue of outgoing work (mail). A message is claimed with a lease so a crashed
 * sender's work is picked up again, and never lost (RL-04).
 */
export type OutboxStatus = 'pending' | 'sent' | 'dead';

export interface OutboxMessage {
  id: string;
  kind: string;
  /** JSON text. */
  payload: string;
  status: OutboxStatus;
  attempts: number;
  /** Not to be tried before this moment (retry back-off, or the lease of a claim). */
  availableAt: Date;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewOutboxMessage {
  kind: string;
  payload: string;
  availableAt?: Date;
}

export abstract class OutboxRepository {
  abstract enqueue(input: NewOutboxMessage, now: Date): Promise<OutboxMessage>;
  /**
   * Claims up to `limit` pending messages whose `availableAt` has come, pushing their
   * `availableAt` to `now + leaseMs`, recording `owner` and counting an attempt. A message is
   * claimed by one caller only.
   */
  abstract claimDue(now: Date, limit: number, leaseMs: number, owner?: string): Promise<OutboxMessage[]>;
  /**
   * Extends the lease of a message `owner` claimed and is still sending, to `now + leaseMs`
   * (RL-13: leases are short, so a dead owner's mail is due again soon). False when the message is
   * no longer pending or another owner holds it.
   */
  abstract renewLease(id: string, owner: string, now: Date, leaseMs: number): Promise<boolean>;
  abstract markSent(id: string, now: Date): Promise<void>;
  /** `retryAt` null marks the message dead (no more attempts). */
  abstract markFailed(id: string, error: string, retryAt: Date | null, now: Date): Promise<void>;
  abstract findById(id: string): Promise<OutboxMessage | null>;
  abstract countByStatus(): Promise<Record<OutboxStatus, number>>;
  /** When the oldest pending message was enqueued (null when none is pending): the backlog's age. */
  abstract oldestPendingAt(): Promise<Date | null>;
}
