/** Reachability and shutdown of the storage backend (readiness probe, graceful stop). */
export abstract class StoreLifecycle {
  /** Which adapter is in use, for logs and the readiness payload. */
  abstract readonly kind: string;
  /** Resolves when the backend answers; rejects otherwise (with `StoreCorruptError` once data was found damaged). */
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;
}

/** The store answers, but its data is damaged (RL-16): readiness stays 503 until an operator acts. */
export class StoreCorruptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreCorruptError';
  }
}
