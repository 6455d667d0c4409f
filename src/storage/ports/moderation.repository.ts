/**
 * Violation scores and bans. A subject is a string such as `user:<id>` or `ip:<address>`.
 * Scores expire (`ttlMs`), unlike LibreChat's counters which never decay (LibreChat defect D-18, docs/librechat-differences.md).
 */
export interface BanRecord {
  subject: string;
  /** Violation type that caused the ban (e.g. `logins`), or `manual` for admin bans. */
  type: string;
  reason: string | null;
  violationCount: number;
  createdAt: Date;
  expiresAt: Date;
  /** The user behind an IP ban, when known. */
  userId: string | null;
}

export interface ViolationInput {
  subject: string;
  type: string;
  score: number;
  /** How long the accumulated score lives after this violation: each one restarts the quiet period (MB-05). */
  ttlMs: number;
  now: Date;
}

export abstract class ModerationRepository {
  /** Adds `score` atomically and returns the new total for (subject, type). */
  abstract addViolation(input: ViolationInput): Promise<number>;
  abstract getViolationScore(subject: string, type: string, now: Date): Promise<number>;
  abstract clearViolations(subject: string, type?: string): Promise<number>;
  /** Creates or replaces the ban of `ban.subject`. */
  abstract putBan(ban: BanRecord): Promise<void>;
  /** The first active ban among the subjects, if any. */
  abstract findActiveBan(subjects: string[], now: Date): Promise<BanRecord | null>;
  abstract listActiveBans(now: Date): Promise<BanRecord[]>;
  abstract liftBan(subject: string): Promise<boolean>;
  abstract deleteExpired(now: Date): Promise<number>;
}
