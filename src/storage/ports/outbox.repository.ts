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
   * `availableAt` to `now + leaseMs` and counting an attempt. A message is claimed by one caller only.
   */
  abstract claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboxMessage[]>;
  abstract markSent(id: string, now: Date): Promise<void>;
  /** `retryAt` null marks the message dead (no more attempts). */
  abstract markFailed(id: string, error: string, retryAt: Date | null, now: Date): Promise<void>;
  abstract findById(id: string): Promise<OutboxMessage | null>;
  abstract countByStatus(): Promise<Record<OutboxStatus, number>>;
}
