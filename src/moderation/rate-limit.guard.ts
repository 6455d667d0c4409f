import { ExecutionContext, Injectable } from '@nestjs/common';
import { routeMetadata } from '../common/route-metadata';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { DomainError, CommonErrors } from '../common/errors';
import { SecurityEvents } from '../common/security-events';
import { ModerationConfig } from '../config';
import { BansService } from './bans.service';
import { banTargetOf } from './ban-target';
import { LimitSubjects } from './limit-subjects';
import { limitMessage, violationScore, VIOLATION_TYPE, type LimitName } from './limits';
import { RATE_LIMIT } from './rate-limit.decorator';
import { ViolationsService } from './violations.service';

/**
 * The throttler guard, narrowed to LibreChat's semantics: a route is counted only by the one
 * named limit it declares with @RateLimit, keyed by the real client IP; a hit past the limit
 * scores a violation and answers LibreChat's 429 text with `code: RATE_LIMITED`, `Retry-After`
 * and the standard RateLimit-* headers (without the throttler's per-name header suffixes).
 * The ban check runs first (MB-13): a banned client is answered 403 BANNED with the ban's expiry,
 * not a 429 that suggests trying again in minutes, and its requests no longer count or score.
 * Hits score the subjects `banTargetOf` names: the address, and the user of an authenticated
 * request (MB-12). A limit whose module names a subject for the request (LimitSubjects) is
 * counted a second time for that subject, and its user is scored and ban-checked too (LibreChat's
 * 2FA limiter pair).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly bans: BansService,
    private readonly violations: ViolationsService,
    private readonly config: ModerationConfig,
    private readonly subjects: LimitSubjects,
    private readonly events: SecurityEvents,
  ) {
    super(options, storage, reflector);
  }

  /**
   * Routes without a limit (most API calls) pass at once, without a promise (common/maybe-async.ts).
   * Nest takes a plain boolean from any guard (CanActivate); only ThrottlerGuard's declared type says
   * Promise, hence the cast. Nothing but Nest's guard runner calls this.
   */
  override canActivate(context: ExecutionContext): Promise<boolean> {
    const name = this.limitOf(context);
    return name ? this.enforce(context, name) : (true as unknown as Promise<boolean>);
  }

  private async enforce(context: ExecutionContext, name: LimitName): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const subject = await this.subjects.resolve(name, req);
    try {
      await this.bans.assertNotBanned(banTargetOf(req, subject?.userId));
    } catch (error) {
      // Refused before any credential is checked, so the entrance's own sign-in events never run:
      // a banned sign-in attempt is reported here (method unknown: several entrances share the limit).
      if (name === 'login' && error instanceof DomainError && error.code === 'BANNED') {
        await this.events.emit({
          type: 'sign_in.failed',
          userId: subject?.userId ?? null,
          reason: 'banned',
          details: { limit: name, refusedBefore: 'credentials' },
        });
      }
      throw error;
    }
    await super.canActivate(context);
    return true;
  }

  protected override async handleRequest({ context, limit, ttl, throttler, blockDuration }: ThrottlerRequest): Promise<boolean> {
    const name = this.limitOf(context);
    if (!name || throttler.name !== name) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    // On the raw response, so a forwarded (streamed) answer carries them too.
    const res = context.switchToHttp().getResponse<FastifyReply>().raw;
    const subject = await this.subjects.resolve(name, req);
    const target = banTargetOf(req, subject?.userId);
    let record = await this.storageService.increment(`${name}:${target.ip}`, ttl, limit, blockDuration, name);
    // The subject's counter is only spent by requests the address limit let through.
    if (subject && !record.isBlocked) record = await this.storageService.increment(`${name}:${subject.key}`, ttl, limit, blockDuration, name);
    res.setHeader('RateLimit-Limit', limit);
    res.setHeader('RateLimit-Remaining', Math.max(0, limit - record.totalHits));
    res.setHeader('RateLimit-Reset', record.timeToExpire);
    res.setHeader('X-RateLimit-Limit', limit);
    res.setHeader('X-RateLimit-Remaining', Math.max(0, limit - record.totalHits));
    res.setHeader('X-RateLimit-Reset', record.timeToExpire);
    if (!record.isBlocked) return true;
    res.setHeader('Retry-After', record.timeToBlockExpire);
    await this.events.emit({ type: 'limit.exceeded', userId: subject?.userId ?? null, reason: name, details: { limit: name } });
    await this.violations.record(VIOLATION_TYPE[name], violationScore(this.config, name), target);
    throw new DomainError(CommonErrors.RATE_LIMITED, { message: limitMessage(name, ttl), details: { retryAfter: record.timeToBlockExpire } });
  }

  private limitOf(context: ExecutionContext): LimitName | undefined {
    return routeMetadata<LimitName>(this.reflector, RATE_LIMIT, context);
  }
}
