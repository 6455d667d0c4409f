import { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { DomainError } from '../../common/errors';
import { TemplatesConfig } from '../../config';
import type { UserRecord } from '../../storage';
import { TemplateResolver } from '../template-resolver';
import { DROPPED_RESPONSE_HEADERS, forwardedBody, rawSubPath, upstreamRequestHeaders, upstreamUrl } from './upstream-request';
import { TemplatesErrors } from '../templates.errors';

export type UpstreamKind = 'endpoint' | 'mcp';

/**
 * Calls a configured upstream on behalf of the signed-in user with its resolved headers.
 * Redirects are handed back, never followed, so resolved headers reach only the configured
 * origin (TR-09); resolved header values are never logged (TR-10).
 */
@Injectable()
export class UpstreamForwarder {
  private readonly logger = new Logger('Upstream');

  constructor(
    private readonly config: TemplatesConfig,
    private readonly resolver: TemplateResolver,
  ) {}

  async forward(kind: UpstreamKind, name: string, user: UserRecord, req: FastifyRequest, res: FastifyReply): Promise<void> {
    // Map lookups: `constructor`, `__proto__` or `toString` in the URL find nothing (LG-05).
    const target = (kind === 'endpoint' ? this.config.upstreams.endpoints : this.config.upstreams.mcp).get(name);
    if (!target)
      throw new DomainError(TemplatesErrors.UPSTREAM_NOT_FOUND, {
        message: `No ${kind === 'endpoint' ? 'endpoint' : 'MCP server'} named ${name} is configured.`,
      });
    const queryAt = req.originalUrl.indexOf('?');
    const prefix = `/api/${kind === 'endpoint' ? 'endpoints' : 'mcp'}/${encodeURIComponent(name)}`;
    const url = upstreamUrl(target.baseUrl, rawSubPath(req.originalUrl, prefix), queryAt >= 0 ? req.originalUrl.slice(queryAt) : '');
    const { body, streamed } = forwardedBody(req);
    const resolved = await this.resolver.resolveHeaders(target.headers, { user, body: streamed ? null : req.body, http: { req, res } });
    let upstream: globalThis.Response;
    try {
      upstream = await fetch(url, {
        method: req.method,
        headers: upstreamRequestHeaders(req, target.forwardHeaders, resolved, streamed),
        body: body as RequestInit['body'],
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.upstreamTimeoutMs),
        ...(streamed ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
      this.logger.warn(`${kind} ${name}: ${timedOut ? 'timed out' : `unreachable (${describeCause(error)})`}`);
      if (timedOut) throw new DomainError(TemplatesErrors.UPSTREAM_TIMEOUT, { message: `${name} did not answer in time.` });
      throw new DomainError(TemplatesErrors.UPSTREAM_UNAVAILABLE, { message: `${name} cannot be reached.` });
    }
    // The upstream's answer goes out as it comes, on the raw response: Fastify steps aside. The
    // security headers, X-Request-Id, rate-limit headers and cookies are already on it.
    res.hijack();
    const raw = res.raw;
    raw.statusCode = upstream.status;
    upstream.headers.forEach((value, header) => {
      if (!DROPPED_RESPONSE_HEADERS.has(header)) raw.setHeader(header, value);
    });
    if (!upstream.body || req.method === 'HEAD') {
      raw.end();
      return;
    }
    await new Promise<void>((resolve) => {
      const stream = Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream);
      stream.on('error', (error) => {
        this.logger.warn(`${kind} ${name}: response stream failed (${error.message})`);
        raw.destroy();
        resolve();
      });
      raw.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(raw);
    });
  }
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
