import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { clientIp } from '../common/client-ip';
import { maskUrl } from './log-redaction';

/** Probes are polled every few seconds by orchestrators; a line each would drown the log. */
const UNLOGGED = new Set(['/health', '/health/ready']);

/**
 * One access-log line per request, written when the response has been sent (Fastify's onResponse). pino-http would also
 * give every request a child logger and an async-local store; nothing here logs through a
 * request-bound logger, so that per-request cost buys nothing (about a tenth of the bearer path's
 * CPU when measured). The fields are flat (`reqId`, `method`, `url`, `status`, `ip`, `responseTime`
 * in ms) so that pino's `req`/`res` serializers, written for live request objects, stay out of the
 * way; the URL is masked like every other logged URL (LG-02).
 */
export function accessLogHook(rootLogger: () => Logger): (request: FastifyRequest, reply: FastifyReply) => void {
  let sequence = 0;
  let logger: Logger | undefined;
  return (request, reply) => {
    // Resolved on first use: nestjs-pino creates its root logger while the modules are configured.
    logger ??= rootLogger();
    const id = ++sequence;
    const url = request.raw.url ?? '';
    if (UNLOGGED.has(url)) return;
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    // The address the one client-address rule decides (MB-14), not the socket's or a header's.
    const ip = clientIp(request);
    // The request id the client or proxy sees (X-Request-Id), else a local sequence number.
    const reqId = reply.raw.getHeader('x-request-id') ?? id;
    const responseTime = Math.round(reply.elapsedTime * 10) / 10;
    logger[level]({ reqId, method: request.raw.method, url: maskUrl(url), status, ip, responseTime }, 'request completed');
  };
}
