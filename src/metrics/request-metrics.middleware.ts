import type { Request, Response } from 'express';
import type { Counter, Histogram } from 'prom-client';

type Next = (error?: unknown) => void;

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
export function requestMetricsMiddleware(metrics: {
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}) {
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
  return (req: Request, res: Response, next: Next): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = req.route as { path?: unknown } | undefined;
      const template = typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : 'unmatched';
      // Methods outside the usual set would each make a series: one label for all of them.
      const method = KNOWN_METHODS.has(req.method) ? req.method : 'OTHER';
      const child = childrenFor(method, template, res.statusCode);
      child.count.inc();
      child.latency.observe(Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

const KNOWN_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
