import { Controller, Get, Optional, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../common/access.decorators';
import { DomainError } from '../common/errors';
import { OutboxMonitor } from '../mail';
import { StoreCorruptError, StoreLifecycle } from '../storage';
import { RedisConnection } from '../storage';
import { LifecycleState } from './lifecycle.state';
import { HealthErrors } from './health.errors';
import { ApiErrors, NotReady, Readiness } from '../common/openapi';

const PING_TIMEOUT_MS = 2_000;

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly store: StoreLifecycle,
    private readonly lifecycle: LifecycleState,
    private readonly outbox: OutboxMonitor,
    /** Present only with USE_REDIS: counters, scores and bans then live there. */
    @Optional() private readonly redis?: RedisConnection,
  ) {}

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the store (and Redis, when used) answers and the process is not shutting down' })
  @ApiOkResponse({ type: Readiness, example: { status: 'ok', info: { store: { status: 'up', kind: 'sqlite' }, lifecycle: { status: 'up' } } } })
  @ApiServiceUnavailableResponse({ description: 'Store or Redis unreachable, or shutting down', schema: { $ref: getSchemaPath(NotReady) } })
  @ApiErrors(HealthErrors.NOT_READY)
  async ready(): Promise<HealthCheckResult> {
    try {
      const redis = this.redis;
      const checks = [() => this.storeReachable(), ...(redis ? [() => this.redisReachable(redis)] : []), () => this.acceptingTraffic()];
      if (this.outbox.enabled) checks.push(() => this.mailBacklog());
      return await this.health.check(checks);
    } catch (error) {
      // Keep terminus' per-check details, inside the service's usual error shape.
      const details = error instanceof ServiceUnavailableException ? (error.getResponse() as Record<string, unknown>) : {};
      throw new DomainError(HealthErrors.NOT_READY, { details: details });
    }
  }

  private async storeReachable(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('store');
    try {
      await withTimeout(this.store.ping(), PING_TIMEOUT_MS);
      return indicator.up({ kind: this.store.kind });
    } catch (error) {
      // The file name and driver detail go to the log (written once, loudly), not to the probe.
      if (error instanceof StoreCorruptError) return indicator.down({ kind: this.store.kind, message: 'store corrupt' });
      return indicator.down({ kind: this.store.kind, message: 'store unreachable' });
    }
  }

  private async redisReachable(redis: RedisConnection): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('redis');
    try {
      await withTimeout(redis.ping(), PING_TIMEOUT_MS);
      return indicator.up();
    } catch {
      return indicator.down({ message: 'redis unreachable' });
    }
  }

  /**
   * Reports the mail backlog without failing readiness: an SMTP outage must not take instances
   * out of rotation, since sign-in works without mail and queued mail waits safely in the store.
   * Monitoring alerts on `backlog: "growing"` or a rising `pending`.
   */
  private async mailBacklog(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('mail');
    try {
      return indicator.up({ ...(await withTimeout(this.outbox.health(), PING_TIMEOUT_MS)) });
    } catch {
      return indicator.up({ backlog: 'unknown', message: 'outbox not readable' });
    }
  }

  private acceptingTraffic(): HealthIndicatorResult {
    const indicator = this.indicators.check('lifecycle');
    if (this.lifecycle.isDraining) return indicator.down({ message: 'shutting down' });
    return indicator.up();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ServiceUnavailableException('timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
