import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { Clock, ClockModule } from '../common/clock';
import { ModerationConfig } from '../config';
import { SessionsModule } from '../sessions';
import { KeyValueStore } from '../storage';
import { AccountLoginDelay } from './account-login-delay.service';
import { AdminBansController } from './admin-bans.controller';
import { BansService } from './bans.service';
import { StoreFaults, StoreFaultsModule } from '../common/store-faults';
import { KvThrottlerStorage } from './kv-throttler.storage';
import { LimitSubjects } from './limit-subjects';
import { LIMIT_NAMES } from './limits';
import { RateLimitGuard } from './rate-limit.guard';
import { ViolationsService } from './violations.service';

/**
 * Rate limits, violation scores and bans (docs/moderation.md). Other modules use BansService to enforce
 * bans on their own paths (bearer requests, refresh, provider callbacks) and @RateLimit to put a
 * route under a named limit.
 */
@Module({
  imports: [
    SessionsModule,
    ClockModule,
    ThrottlerModule.forRootAsync({
      // Its own import: the CLI builds this module without the app's global modules.
      imports: [ClockModule, StoreFaultsModule],
      inject: [ModerationConfig, KeyValueStore, Clock, StoreFaults],
      useFactory: (config: ModerationConfig, kv: KeyValueStore, clock: Clock, faults: StoreFaults) => ({
        throttlers: LIMIT_NAMES.map((name) => ({ name, limit: config.limits[name].max, ttl: config.limits[name].windowMs })),
        storage: new KvThrottlerStorage(kv, clock, faults),
      }),
    }),
  ],
  controllers: [AdminBansController],
  providers: [BansService, ViolationsService, AccountLoginDelay, LimitSubjects, { provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [BansService, ViolationsService, AccountLoginDelay, LimitSubjects],
})
export class ModerationModule {}
