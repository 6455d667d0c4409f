/** Reachability and shutdown of the storage backend (readiness probe, graceful stop). */
export abstract class StoreLifecycle {
  /** Which adapter is in use, for logs and the readiness payload. */
  abstract readonly kind: string;
  /** Resolves when the backend answers; rejects otherwise. */
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;
}
