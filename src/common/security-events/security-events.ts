import { Global, Injectable, Logger, Module } from '@nestjs/common';
import { Clock } from '../clock';
import { currentRequest } from '../request-context';
import type { SecurityEvent, SecurityEventListener } from './security-event';

/**
 * The one bus security events go through. The places where something happens emit; the audit
 * trail and the metrics listen. A failing listener is logged and never fails the request that
 * emitted (the event already happened); listeners that must not lose events persist durably
 * themselves.
 */
@Injectable()
export class SecurityEvents {
  private readonly logger = new Logger('SecurityEvents');
  private readonly listeners: SecurityEventListener[] = [];

  constructor(private readonly clock: Clock) {}

  subscribe(listener: SecurityEventListener): void {
    this.listeners.push(listener);
  }

  async emit(event: SecurityEvent): Promise<void> {
    // Where the event happened is taken from the request being served unless the emitter says.
    const request = currentRequest();
    const recorded = {
      ...event,
      requestId: event.requestId ?? request?.requestId ?? null,
      ip: event.ip !== undefined ? event.ip : (request?.ip() ?? null),
      userAgent: event.userAgent !== undefined ? event.userAgent : (request?.userAgent() ?? null),
      at: this.clock.now(),
    };
    for (const listener of this.listeners) {
      try {
        await listener(recorded);
      } catch (error) {
        this.logger.error({ event: event.type }, `security event listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

@Global()
@Module({ providers: [SecurityEvents], exports: [SecurityEvents] })
export class SecurityEventsModule {}
