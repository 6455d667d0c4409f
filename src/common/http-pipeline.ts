import type { IncomingMessage, ServerResponse } from 'node:http';
import bodyParser from 'body-parser';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { jsonBodyOptions } from './body';

type Next = (error?: Error) => void;
type RawMiddleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

/**
 * The JSON and form parsers as one Fastify content-type parser for every type. body-parser does the
 * reading, so BODY_LIMIT, the JSON depth check (PW-05, LG-05), charsets and Content-Encoding
 * (gzip, deflate, br; anything else is a 415) behave as the API has always documented; Fastify's
 * own parsers would not inflate a compressed body. A body of any other type is left unread, as
 * the upstream forwarder streams it on. Fastify runs parsers only for methods that carry a body,
 * so a GET never pays for a content-type parse.
 */
export function installBodyParsers(fastify: FastifyInstance, bodyLimit: string): void {
  const json = bodyParser.json(jsonBodyOptions(bodyLimit)) as RawMiddleware;
  const form = bodyParser.urlencoded({ limit: bodyLimit, extended: false }) as RawMiddleware;
  const unusedResponse = {} as ServerResponse;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (request, payload, done) => {
    const raw = payload as IncomingMessage & { body?: unknown };
    json(raw, unusedResponse, (jsonError) => {
      if (jsonError) return done(jsonError, undefined);
      form(raw, unusedResponse, (formError) => done(formError ?? null, raw.body));
    });
  });
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

/**
 * The security headers of every response, written on the raw response at the start of the request,
 * so they are on everything: handler answers, errors, static files, 404s, and the streamed
 * answers of the upstream forwarder. `htmlOverrides` lets a path prefix replace the strict policy
 * (the Swagger UI pages need inline scripts; app.factory's setupApiDocs).
 */
export function securityHeaders(htmlOverrides: ReadonlyArray<{ prefix: string; csp: string }> = []): RawMiddleware {
  const full = helmet({
    // Nothing may load or run by default: the sign-in pages set their own policy, and only the Swagger UI
    // pages get the relaxed one they need; never on the API or the sign-in page.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"], 'base-uri': ["'none'"], 'form-action': ["'none'"] },
    },
    referrerPolicy: { policy: 'no-referrer' },
  }) as RawMiddleware;
  return (req, res, next) => {
    const url = req.url ?? '/';
    if (isJsonApiPath(url)) {
      for (const [name, value] of API_HEADERS) res.setHeader(name, value);
      return next();
    }
    full(req, res, (error) => {
      for (const override of htmlOverrides) if (url.startsWith(override.prefix)) res.setHeader('Content-Security-Policy', override.csp);
      next(error);
    });
  };
}
