import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors';
import type { ServerConfig } from '../config';
import { AuthErrors } from './auth.errors';

/**
 * Cookie-authenticated state changes (refresh, logout, login) and registration refuse cross-site
 * browser requests on top of SameSite=Strict (SE-09): `Sec-Fetch-Site: cross-site`, or an Origin
 * that is neither the client's nor the server's. `Origin: null` (sandboxed frames, data: URLs,
 * some cross-site redirects) names no site at all, so it is refused too (SE-14). Non-browser
 * clients send neither header and pass.
 */
export function assertSameSite(req: FastifyRequest, server: ServerConfig): void {
  const fetchSite = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  const allowed = new Set([new URL(server.domainClient).origin, new URL(server.domainServer).origin]);
  if (fetchSite === 'cross-site' || (typeof origin === 'string' && !allowed.has(origin))) {
    throw new DomainError(AuthErrors.CROSS_SITE_REQUEST);
  }
}
