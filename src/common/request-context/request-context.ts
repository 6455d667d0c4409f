import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientIp } from '../client-ip';

/** What a security event needs to know about the request it happened in. */
export interface RequestContext {
  readonly requestId: string;
  /** The client address by the one client-address rule (MB-14); computed on first use. */
  ip(): string | null;
  userAgent(): string | null;
}

const store = new AsyncLocalStorage<RequestContext>();

/**
 * An incoming X-Request-Id is kept only when it is a short token of safe characters, so a
 * proxy's id links the logs, but nobody can write log lines or huge values through it (AU-03).
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function acceptedRequestId(header: string | string[] | undefined): string | null {
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : null;
}

/** The request being served (undefined outside a request: the janitor, the outbox worker, the CLI). */
export function currentRequest(): RequestContext | undefined {
  return store.getStore();
}

/** On the raw request under a symbol, not in a WeakMap (see client-ip.ts's ADDRESS). */
const REQUEST_ID = Symbol('gatehouse.requestId');
type Identified = IncomingMessage & { [REQUEST_ID]?: string };

/**
 * Gives each request an id, echoed as X-Request-Id on every answer (errors and 404s included).
 * Runs first, on the raw response, so even a request refused before routing carries it.
 */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): void {
  const requestId = acceptedRequestId(req.headers['x-request-id']) ?? randomUUID();
  (req as Identified)[REQUEST_ID] = requestId;
  res.setHeader('X-Request-Id', requestId);
}

/**
 * Makes the request id, the address and the user agent readable where an event is emitted,
 * without passing the request into use cases. Entered just before the handler, after the body
 * was read: the parser's callbacks run in the socket's context and would drop the store.
 */
export function runInRequestContext(req: IncomingMessage, next: () => void): void {
  store.run(new ServedRequest(req, (req as Identified)[REQUEST_ID] ?? randomUUID()), next);
}

/** A class rather than an object of closures: one small allocation per request. */
class ServedRequest implements RequestContext {
  private address: string | null | undefined;

  constructor(
    private readonly req: IncomingMessage,
    readonly requestId: string,
  ) {}

  ip(): string | null {
    return (this.address ??= safeIp(this.req));
  }

  userAgent(): string | null {
    const agent = this.req.headers['user-agent'];
    return typeof agent === 'string' ? agent.slice(0, 512) : null;
  }
}

function safeIp(req: IncomingMessage): string | null {
  try {
    return clientIp(req);
  } catch {
    return null;
  }
}
