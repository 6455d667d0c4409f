/**
 * Short-lived values with a time to live: limiter counters, OAuth transaction state, locks.
 * Every operation is atomic per key so several app instances can share one store.
 */
export interface CounterValue {
  value: number;
  expiresAt: Date;
}

export abstract class KeyValueStore {
  abstract get(key: string, now: Date): Promise<string | null>;
  abstract set(key: string, value: string, ttlMs: number, now: Date): Promise<void>;
  /** Sets only when the key is absent or expired; true when this call set it. */
  abstract setIfAbsent(key: string, value: string, ttlMs: number, now: Date): Promise<boolean>;
  /** Reads and deletes in one step (single-use values). */
  abstract take(key: string, now: Date): Promise<string | null>;
  abstract delete(key: string): Promise<boolean>;
  /**
   * Adds `by` to a counter. The window (TTL) starts at the first increment and is not extended
   * by later ones (fixed window). Counters are soft state: an adapter may commit an increment
   * with less durability than other writes (SQLite: without its own fsync), never less atomicity.
   */
  abstract increment(key: string, by: number, ttlMs: number, now: Date): Promise<CounterValue>;
  abstract deleteExpired(now: Date): Promise<number>;
}
