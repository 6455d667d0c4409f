import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import helmet from 'helmet';
import { jsonBodyOptions } from './body';

type Next = (error?: unknown) => void;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

/** Methods whose requests carry no body Gatehouse reads: their parsers would only cost time. */
const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The JSON and form parsers, run only for requests that may carry a body. Limits and the JSON depth
 * check apply before any handler (PW-05, LG-05), exactly as before; a GET no longer pays for two
 * content-type parses on every API call.
 */
export function bodyParsers(bodyLimit: string): Middleware {
  const json = express.json(jsonBodyOptions(bodyLimit)) as Middleware;
  const form = express.urlencoded({ limit: bodyLimit, extended: false }) as Middleware;
  return (req, res, next) => {
    if (BODILESS.has(req.method ?? 'GET')) return next();
    json(req, res, (error?: unknown) => (error ? next(error) : form(req, res, next)));
  };
}

/**
 * JSON API responses are never rendered by a browser, so they need few headers, fixed once:
 * no MIME sniffing, no referrer, not framed, no active content (CSP `default-src 'none'`), not
 * readable cross-origin by `<script>`/`<img>`, and HSTS. HTML (the sign-in pages, the API docs,
 * redirects of the sign-in flows, assets) keeps helmet's full set.
 */
const API_HEADERS: ReadonlyArray<[string, string]> = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
];

/** JSON-only paths: the API (but not its HTML docs) and the probes. */
export function isJsonApiPath(url: string): boolean {
  if (url.startsWith('/api/')) return !url.startsWith('/api/docs');
  return url === '/health' || url.startsWith('/health/') || url.startsWith('/health?');
}

export function securityHeaders(): Middleware {
  const full = helmet({
    // Nothing may load or run by default: the sign-in pages set their own policy, and only the Swagger UI
    // pages get the relaxed one they need (app.factory's setupApiDocs); never on the API or the sign-in page.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"], 'base-uri': ["'none'"], 'form-action': ["'none'"] },
    },
    referrerPolicy: { policy: 'no-referrer' },
  }) as Middleware;
  return (req, res, next) => {
    if (!isJsonApiPath(req.url ?? '/')) return full(req, res, next);
    for (const [name, value] of API_HEADERS) res.setHeader(name, value);
    next();
  };
}
