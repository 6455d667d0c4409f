import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors';
import { TemplatesErrors } from '../templates.errors';

/** Not passed back: hop-by-hop headers, cookies for our origin, encodings fetch already undid. */
export const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'trailer',
  'upgrade',
  'set-cookie',
  'content-encoding',
  'content-length',
  'proxy-authenticate',
]);

/**
 * The upstream URL for a sub-path and query. The result must keep the configured origin and stay
 * under its base path: a sub-path like `//evil.example` or `../..` cannot send the resolved
 * headers, and the tokens in them, anywhere else (TR-09).
 */
export function upstreamUrl(baseUrl: string, rawSubPath: string, query: string): URL {
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  // Decoded exactly once, checked, then encoded again: no segment can become a separator or a dot-segment.
  const segments = rawSubPath
    .split('/')
    .filter((s) => s !== '')
    .map(decodeSegment);
  if (segments.some((s) => s === '.' || s === '..')) throw new DomainError(TemplatesErrors.INVALID_UPSTREAM_PATH);
  const url = new URL(base.origin);
  url.pathname = [basePath, ...segments.map((s) => encodeURIComponent(s))].join('/') || '/';
  url.search = query;
  if (url.origin !== base.origin || !url.pathname.startsWith(basePath)) throw new DomainError(TemplatesErrors.INVALID_UPSTREAM_PATH);
  return url;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new DomainError(TemplatesErrors.INVALID_UPSTREAM_PATH);
  }
}

/**
 * The headers sent upstream (TR-11): the caller's headers named in the upstream's allow-list,
 * then the configured headers resolved for the caller, which replace a caller header of the same
 * name in any spelling (`x-user-id` from the caller never survives a configured `X-User-ID`).
 * `Content-Type` describes the body sent, so it always goes with it, listed or not; a body streamed
 * through unread also keeps its `Content-Encoding`, while a parsed body is sent re-serialised and
 * has none.
 */
export function upstreamRequestHeaders(
  req: FastifyRequest,
  forwardHeaders: readonly string[],
  resolved: Record<string, string>,
  streamed: boolean,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const pass = [...forwardHeaders, 'content-type', ...(streamed ? ['content-encoding'] : [])];
  for (const name of pass) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  for (const [name, value] of Object.entries(resolved)) headers[name.toLowerCase()] = value;
  return headers;
}

/**
 * The body to send on. JSON and form bodies were parsed on the way in (re-serialised here);
 * anything else is still unread and is streamed through.
 */
export function forwardedBody(req: FastifyRequest): { body: RequestInit['body'] | NodeJS.ReadableStream | undefined; streamed: boolean } {
  if (req.method === 'GET' || req.method === 'HEAD') return { body: undefined, streamed: false };
  // The body parsers (common/http-pipeline.ts) leave req.body undefined when they did not read the stream.
  if (req.body !== undefined) {
    const type = req.headers['content-type'] ?? '';
    if (type.includes('application/x-www-form-urlencoded'))
      return { body: new URLSearchParams(req.body as Record<string, string>).toString(), streamed: false };
    return { body: JSON.stringify(req.body), streamed: false };
  }
  return { body: req.raw, streamed: true };
}

/** The still-encoded part of the request path after `prefix` (e.g. `/api/endpoints/<name>`). */
export function rawSubPath(originalUrl: string, prefix: string): string {
  const path = originalUrl.split('?')[0];
  return path.startsWith(prefix) ? path.slice(prefix.length) : '';
}
