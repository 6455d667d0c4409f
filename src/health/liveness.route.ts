import type { FastifyInstance } from 'fastify';
import { LIVENESS_PATH } from '../common/openapi';

/** The answer never changes, so it is serialized once. */
const LIVE_BODY = JSON.stringify({ status: 'ok' });

/**
 * Liveness, `GET /health` (and HEAD), as a plain Fastify route. Orchestrators poll it every few
 * seconds on every instance and it answers a constant, so it skips what no probe needs: Nest's
 * router, guards, pipes, interceptors and exception filter. The shell's hooks still run for it as
 * for every route (app.factory.ts), so its X-Request-Id, security headers, metrics and access-log
 * rules are the same code as everywhere else; draining's `Connection: close` comes from the HTTP
 * server guard, below Fastify; its OpenAPI entry is in common/openapi/plain-routes.ts. Readiness
 * (`/health/ready`) stays a Nest route: it checks the store, Redis and the lifecycle, and reports
 * through terminus.
 */
export function registerLivenessRoute(fastify: FastifyInstance): void {
  fastify.get(LIVENESS_PATH, (_request, reply) => reply.type('application/json; charset=utf-8').send(LIVE_BODY));
}
