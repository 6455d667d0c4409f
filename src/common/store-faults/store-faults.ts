import { Global, Injectable, Module } from '@nestjs/common';
import { isStoreUnavailable, unavailableStore, type UnavailableStore } from '../../storage';

/**
 * Where a store or Redis outage is told once it has been recognised (the error filter's 503, the
 * rate limiter's fail-closed and fail-open paths); the metrics listen. Errors that are not outages
 * (bugs, bad input) are not reported.
 */
@Injectable()
export class StoreFaults {
  private readonly listeners: Array<(store: UnavailableStore) => void> = [];

  subscribe(listener: (store: UnavailableStore) => void): void {
    this.listeners.push(listener);
  }

  /** True when `error` was an outage (and was reported). */
  report(error: unknown): boolean {
    if (!isStoreUnavailable(error)) return false;
    const store = unavailableStore(error);
    for (const listener of this.listeners) {
      try {
        listener(store);
      } catch {
        // A metrics listener never changes the answer to the request.
      }
    }
    return true;
  }
}

@Global()
@Module({ providers: [StoreFaults], exports: [StoreFaults] })
export class StoreFaultsModule {}
