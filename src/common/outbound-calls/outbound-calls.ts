import { Global, Injectable, Module } from '@nestjs/common';

/** One finished call to an identity or sign-in provider. Labels are bounded names, never URLs. */
export interface OutboundCall {
  /** `openid`, `openid-<name>`, `apple`, ... (configured providers only). */
  provider: string;
  /** The purpose: `discovery`, `jwks`, `token`, `userinfo`, ... */
  endpoint: string;
  /** `ok`, `http_4xx`, `http_5xx` or `network_error`. */
  outcome: string;
  seconds: number;
}

/**
 * Where provider HTTP wrappers report each call; the metrics listen. Kept apart from the
 * security-event bus: these are operational numbers, not audit records.
 */
@Injectable()
export class OutboundCalls {
  private readonly listeners: Array<(call: OutboundCall) => void> = [];

  subscribe(listener: (call: OutboundCall) => void): void {
    this.listeners.push(listener);
  }

  report(call: OutboundCall): void {
    for (const listener of this.listeners) {
      try {
        listener(call);
      } catch {
        // A metrics listener never fails a provider call.
      }
    }
  }
}

@Global()
@Module({ providers: [OutboundCalls], exports: [OutboundCalls] })
export class OutboundCallsModule {}
