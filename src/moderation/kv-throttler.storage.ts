import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Clock } from '../common/clock';
import { DomainError, CommonErrors } from '../common/errors';
import { StoreFaults } from '../common/store-faults';
import { KeyValueStore } from '../storage';
import { failsClosed, type LimitName } from './limits';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Throttler counters in the shared KeyValueStore (the primary store, or Redis with USE_REDIS), so
 * N instances enforce one limit, not N× (MB-10). Fixed windows: the first hit opens the window.
 */
export class KvThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');

  constructor(
    private readonly kv: KeyValueStore,
    private readonly clock: Clock,
    private readonly faults?: StoreFaults,
  ) {}

  async increment(key: string, ttlMs: number, limit: number, _blockDuration: number, name: string): Promise<ThrottlerStorageRecord> {
    const now = this.clock.now();
    try {
      const counter = await this.kv.increment(`rl:${key}`, 1, ttlMs, now);
      const secondsLeft = Math.max(1, Math.ceil((counter.expiresAt.getTime() - now.getTime()) / 1000));
      return { totalHits: counter.value, timeToExpire: secondsLeft, isBlocked: counter.value > limit, timeToBlockExpire: secondsLeft };
    } catch (error) {
      this.faults?.report(error);
      if (failsClosed(name as LimitName)) {
        this.logger.error(`limit "${name}" refused the request, its counter store is unavailable: ${(error as Error).message}`);
        throw new DomainError(CommonErrors.SERVICE_UNAVAILABLE, { message: 'Sign-in is temporarily unavailable. Please try again shortly.' });
      }
      this.logger.error(`limit "${name}" not applied, its counter store is unavailable: ${(error as Error).message}`);
      return { totalHits: 0, timeToExpire: Math.ceil(ttlMs / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}
