import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { clientIp } from '../common/client-ip';
import { maskUrl } from './log-redaction';

type Next = (error?: unknown) => void;

/** Probes are polled every few seconds by orchestrators; a line each would drown the log. */
const UNLOGGED = new Set(['/health', '/health/ready']);

/**
 * One access-log line per request, written when the response finishes. pino-http would also
 * give every request a child logger and an async-local store; nothing here logs through a
 * request-bound logger, so that per-request cost buys nothing (about a tenth of the bearer path's
 * CPU when measured). The fields are flat (`reqId`, `method`, `url`, `status`, `ip`, `responseTime`
 * in ms) so that pino's `req`/`res` serializers, written for live request objects, stay out of the
 * way; the URL is masked like every other logged URL (LG-02).
 */
export function accessLogMiddleware(rootLogger: () => Logger): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  let sequence = 0;
  let logger: Logger | undefined;
  return (req, res, next) => {
    // Resolved on first use: nestjs-pino creates its root logger while the modules are configured.
    logger ??= rootLogger();
    const url = req.url ?? '';
    if (UNLOGGED.has(url)) return next();
    const id = ++sequence;
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger?.isLevelEnabled(level)) return;
      const responseTime = Number(process.hrtime.bigint() - started) / 1e6;
      // The address the one client-address rule decides (MB-14), not the socket's or a header's.
      const ip = clientIp(req as never);
      // The request id the client or proxy sees (X-Request-Id), else a local sequence number.
      const reqId = res.getHeader('x-request-id') ?? id;
      logger[level]({ reqId, method: req.method, url: maskUrl(url), status, ip, responseTime: Math.round(responseTime * 10) / 10 }, 'request completed');
    });
    next();
  };
}
