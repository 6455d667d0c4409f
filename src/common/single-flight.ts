/**
 * Concurrent callers asking for the same key share one in-flight promise; the entry is dropped
 * as soon as it settles, so a failure is never cached. Used where a burst of identical requests
 * must cost the identity provider one call (per-user IdP refresh, on-behalf-of exchanges).
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  run(key: string, task: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    const started = (async () => {
      try {
        return await task();
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, started);
    return started;
  }
}
