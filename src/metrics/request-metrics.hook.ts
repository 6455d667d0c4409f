import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Counter, Histogram } from 'prom-client';

interface Children {
  count: { inc(): void };
  latency: { observe(value: number): void };
}

/**
 * Counts each request and its latency under its route template (`/api/auth/sessions/:id`),
 * never the raw path; requests no route matched (static assets, 404s) share `unmatched`.
 * Label children are created once per (method, route, status) and reused, so the hot path is
 * a map lookup, two increments and one `hrtime` pair (AU-01, bench: `npm run bench -- auth`).
 */
export function requestMetricsHook(metrics: { httpRequests: Counter<'method' | 'route' | 'status'>; httpDuration: Histogram<'method' | 'route' | 'status'> }) {
  const children = new Map<string, Children>();
  const childrenFor = (method: string, route: string, status: number): Children => {
    const key = `${method} ${status} ${route}`;
    let found = children.get(key);
    if (!found) {
      const labels = { method, route, status: String(status) };
      children.set(key, (found = { count: metrics.httpRequests.labels(labels), latency: metrics.httpDuration.labels(labels) }));
    }
    return found;
  };
  return (request: FastifyRequest, reply: FastifyReply): void => {
    // Fastify's route template; null for requests no route matched and for the static assets.
    const url = request.is404 ? undefined : request.routeOptions.url;
    const template = url === undefined || url.startsWith(ASSETS_PREFIX) ? 'unmatched' : url;
    // Methods outside the usual set would each make a series: one label for all of them.
    const method = KNOWN_METHODS.has(request.raw.method ?? '') ? (request.raw.method as string) : 'OTHER';
    const child = childrenFor(method, template, reply.statusCode);
    child.count.inc();
    child.latency.observe(reply.elapsedTime / 1e3);
  };
}

const ASSETS_PREFIX = '/assets/';
const KNOWN_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
