import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const parsed = Symbol('gatehouse.cookies');

type CookieJar = Record<string, string | undefined>;
type WithJar = FastifyRequest & { [parsed]: CookieJar | null };

/**
 * `request.cookies`, parsed from the Cookie header on first read and kept for the request.
 * Why not the @fastify/cookie plugin: it parses in an onRequest hook and adds an onSend hook on
 * every request, and most requests (bearer API calls, probes) never read a cookie. Set-Cookie is
 * written by `applyCookies` (cookie-instructions.ts), so the plugin's reply side is not used either.
 */
export function installCookieReader(fastify: FastifyInstance): void {
  fastify.decorateRequest(parsed, null);
  fastify.decorateRequest('cookies', {
    getter(this: FastifyRequest): CookieJar {
      const request = this as WithJar;
      const header = request.raw.headers.cookie;
      return (request[parsed] ??= header ? fastifyCookie.parse(header) : {});
    },
  });
}
