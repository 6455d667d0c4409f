/** LibreChat's refill interval units (`REFILL_INTERVAL_UNITS` in librechat-data-provider). */
export const REFILL_INTERVAL_UNITS = ['seconds', 'minutes', 'hours', 'days', 'weeks', 'months'] as const;
export type RefillIntervalUnit = (typeof REFILL_INTERVAL_UNITS)[number];

/** LibreChat's schema defaults for a balance record, applied when a record is created. */
export const BALANCE_DEFAULTS = { autoRefillEnabled: false, refillIntervalValue: 30, refillIntervalUnit: 'days', refillAmount: 0 } as const;

/** One user's token balance, in LibreChat's `balances` field names. */
export interface BalanceRecord {
  userId: string;
  /** Null only on a record LibreChat left without credits; the next sign-in sets the start balance. */
  tokenCredits: number | null;
  autoRefillEnabled: boolean;
  refillIntervalValue: number;
  refillIntervalUnit: string;
  lastRefill: Date | null;
  refillAmount: number;
}

/** What a sign-in writes: the start balance and, when auto-refill is fully configured, its settings. */
export interface BalanceSync {
  startBalance: number;
  autoRefill: { intervalValue: number; intervalUnit: RefillIntervalUnit; amount: number } | null;
}

/**
 * Token balances of users (LibreChat's `balances` collection). Gatehouse only writes what
 * LibreChat's sign-in writes; spending and refills stay with LibreChat's API server.
 */
export abstract class BalanceRepository {
  abstract find(userId: string): Promise<BalanceRecord | null>;
  /**
   * LibreChat's sign-in sync as one atomic step in the store: creates the record with the start
   * balance when the user has none, sets the start balance where credits are missing (never
   * overwriting credits that exist, so a concurrent spend or refill is never lost), and with
   * `autoRefill` sets the refill settings and `lastRefill = now` where it is missing. Parallel
   * calls for one user leave exactly one record.
   */
  abstract syncOnSignIn(userId: string, sync: BalanceSync, now: Date): Promise<BalanceRecord>;
  /** Removes the user's balance records (account deletion, as LibreChat deletes them with the user); how many went. */
  abstract deleteFor(userId: string): Promise<number>;
}
