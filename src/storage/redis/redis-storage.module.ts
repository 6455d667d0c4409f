import { DynamicModule, Module } from '@nestjs/common';
import { KeyValueStore, ModerationRepository } from '../ports';
import { REDIS_OPTIONS, RedisConnection, RedisStorageOptions } from './redis-connection';
import { RedisKeyValueStore } from './redis-key-value.store';
import { RedisModerationRepository } from './redis-moderation.repository';

/**
 * The ports that hold state several app instances must share (rate-limit counters, violation
 * scores, bans). With USE_REDIS they move to Redis; every other port stays on the primary store.
 */
export const REDIS_SERVED_PORTS = [KeyValueStore, ModerationRepository] as const;

@Module({})
export class RedisStorageModule {
  /**
   * With `scoresOnly`, ModerationRepository is left to the caller, which gets the Redis moderation
   * class itself to take violation scores from (bans then live in the primary store, MB-17).
   */
  static register(options: RedisStorageOptions, { scoresOnly = false }: { scoresOnly?: boolean } = {}): DynamicModule {
    const moderation = scoresOnly ? [RedisModerationRepository] : [{ provide: ModerationRepository, useClass: RedisModerationRepository }];
    return {
      module: RedisStorageModule,
      providers: [{ provide: REDIS_OPTIONS, useValue: options }, RedisConnection, { provide: KeyValueStore, useClass: RedisKeyValueStore }, ...moderation],
      // The connection is exported for the readiness probe.
      exports: scoresOnly ? [KeyValueStore, RedisModerationRepository, RedisConnection] : [...REDIS_SERVED_PORTS, RedisConnection],
    };
  }
}
