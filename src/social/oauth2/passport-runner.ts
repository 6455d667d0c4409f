import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The request as a passport strategy reads it: its query and form body (code, state, error), the
 * headers, the cookies, and, for the state store only, the reply its cookie goes onto. Built
 * from Fastify's request, so no strategy depends on one HTTP framework's request object.
 */
export interface PassportRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly query: Record<string, unknown>;
  readonly body: unknown;
  readonly cookies: Record<string, string | undefined>;
  readonly reply: FastifyReply;
}

/** The strategy's view of `req`; `query` replaces the request's own when given. */
export function passportRequest(req: FastifyRequest, reply: FastifyReply, query?: Record<string, unknown>): PassportRequest {
  return {
    method: req.method,
    url: req.url,
    headers: req.headers,
    query: query ?? ((req.query ?? {}) as Record<string, unknown>),
    body: req.body,
    cookies: req.cookies ?? {},
    reply,
  };
}

/** The part of a passport strategy this module drives (every passport-oauth2 strategy has it). */
export interface PassportStrategyLike {
  authenticate(req: PassportRequest, options?: Record<string, unknown>): void;
}

export type StrategyOutcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'success'; user: unknown }
  | { kind: 'fail'; challenge: unknown; status?: number }
  | { kind: 'error'; error: unknown };

const STEP_TIMEOUT_MS = 20_000;

/** A provider step that never decided (no redirect, success, fail or error): an outage, not a refusal. */
export class ProviderTimeoutError extends Error {
  constructor() {
    super('the provider did not answer in time');
    this.name = 'ProviderTimeoutError';
  }
}

/**
 * Runs one passport step without passport's middleware and its session: exactly what
 * `passport.authenticate` does (a per-request `Object.create(strategy)` with the action
 * functions attached), but the outcome comes back as a value so the caller decides the HTTP
 * answer. A provider that never answers becomes an error instead of a hung request.
 */
export function runStrategy(strategy: PassportStrategyLike, req: PassportRequest, options: Record<string, unknown> = {}): Promise<StrategyOutcome> {
  return new Promise<StrategyOutcome>((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'error', error: new ProviderTimeoutError() }), STEP_TIMEOUT_MS);
    const done = (outcome: StrategyOutcome) => {
      clearTimeout(timer);
      resolve(outcome);
    };
    const step = Object.create(strategy) as PassportStrategyLike & Record<string, unknown>;
    step.redirect = (url: string) => done({ kind: 'redirect', url });
    step.success = (user: unknown) => done({ kind: 'success', user });
    step.fail = (challenge: unknown, status?: number) => done({ kind: 'fail', challenge, status: typeof challenge === 'number' ? challenge : status });
    step.error = (error: unknown) => done({ kind: 'error', error });
    step.pass = () => done({ kind: 'error', error: new Error('the strategy passed without deciding') });
    try {
      step.authenticate(req, options);
    } catch (error) {
      done({ kind: 'error', error });
    }
  });
}
