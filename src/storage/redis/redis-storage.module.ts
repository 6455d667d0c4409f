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
  static register(options: RedisStorageOptions): DynamicModule {
    return {
      module: RedisStorageModule,
      providers: [
        { provide: REDIS_OPTIONS, useValue: options },
        RedisConnection,
        { provide: KeyValueStore, useClass: RedisKeyValueStore },
        { provide: ModerationRepository, useClass: RedisModerationRepository },
      ],
      // The connection is exported for the readiness probe.
      exports: [...REDIS_SERVED_PORTS, RedisConnection],
    };
  }
}
