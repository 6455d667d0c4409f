import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import fastifyStatic from '@fastify/static';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule, type ProviderModule } from './app.module';
import { bindClientAddress } from './common/client-ip';
import { assignRequestId, runInRequestContext } from './common/request-context';
import { StoreFaults } from './common/store-faults';
import { HttpErrorFilter, createValidationPipe } from './common/errors';
import { buildApiDocument } from './common/openapi';
import { installBodyParsers, securityHeaders } from './common/http-pipeline';
import { installCookieReader } from './common/http/request-cookies';
import type { GatehouseConfig } from './config';
import { accessLogHook } from './logging/logging.module';
import { GatehouseMetrics, requestMetricsHook } from './metrics';
import { WEB_ROOT } from './web';
import { registerLivenessRoute } from './health';

export const API_DOCS_PATH = 'api/docs';

/**
 * Builds the fully configured application without listening, so `main.ts`, the CLI-less test
 * harness and benchmarks all run exactly the same app.
 */
export interface CreateAppOptions {
  /** Sign-in provider modules to add to the built-in ones (docs/providers.md). */
  providerModules?: ProviderModule[];
}

export async function createApp(config: GatehouseConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // Who the client is: Fastify applies TRUST_PROXY to X-Forwarded-For, clientAddress() does the rest (MB-14, MB-15).
    trustProxy: config.server.trustProxy,
    // Gatehouse echoes its own X-Request-Id (common/request-context); Fastify's id stays internal.
    requestIdHeader: false,
    // Nest middleware is not used: the pipeline below is plain Fastify hooks, so no middie layer runs per request.
    skipMiddie: true,
    // Reset and verification tokens travel as path parameters; Fastify's default cap is 100 characters.
    routerOptions: { maxParamLength: 2048 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options.providerModules), adapter, {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  const policy = { ipv6SubnetPrefix: config.server.ipv6SubnetPrefix };
  const headers = securityHeaders(config.server.apiDocs ? [{ prefix: `/${API_DOCS_PATH}`, csp: API_DOCS_CSP }] : []);
  // Set by the bearer guard; declared up front so every request object keeps one shape.
  fastify.decorateRequest('user', undefined);
  fastify.decorateRequest('auth', undefined);
  fastify.addHook('onRequest', (request, reply, done) => {
    bindClientAddress(request.raw, request, policy);
    assignRequestId(request.raw, reply.raw);
    // A fixed short set on JSON API responses, helmet with a strict policy on HTML (common/http-pipeline.ts);
    // the sign-in pages set their own policy, and only the Swagger UI pages get the relaxed one they need.
    headers(request.raw, reply.raw, done);
  });
  // The request context is entered after the body was read (see runInRequestContext).
  fastify.addHook('preHandler', (request, _reply, done) => runInRequestContext(request.raw, done));
  const accessLog = accessLogHook(() => PinoLogger.root);
  // Request count and latency per route template (METRICS_ENABLED); refusals count too.
  const metrics = config.operations.metricsEnabled ? requestMetricsHook(app.get(GatehouseMetrics)) : null;
  fastify.addHook('onResponse', (request, reply, done) => {
    accessLog(request, reply);
    metrics?.(request, reply);
    done();
  });
  installCookieReader(fastify);
  // Liveness is answered by Fastify alone (no Nest router, guards or pipes); the hooks above still run for it.
  registerLivenessRoute(fastify);
  // Limits apply before any handler (and any password hashing) sees the body (PW-05); so does the
  // JSON depth limit (LG-05). Requests that carry no body skip the parsers.
  installBodyParsers(fastify, config.server.bodyLimit);
  // The sign-in page's scripts and styles; the pages themselves come from WebPagesController.
  await app.register(fastifyStatic, { root: WEB_ROOT, prefix: '/assets/', index: false, redirect: false, etag: true, maxAge: 0 });
  app.useGlobalFilters(new HttpErrorFilter(app.get(StoreFaults)));
  app.useGlobalPipes(createValidationPipe());
  setupApiDocs(app, config);
  return app;
}

/** swagger-ui's page runs inline scripts and styles; this policy is sent only under /api/docs. */
export const API_DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** Swagger UI and the JSON document; off in production unless API_DOCS=true (docs/api.md). */
function setupApiDocs(app: NestFastifyApplication, config: GatehouseConfig): void {
  if (!config.server.apiDocs) return;
  // Built on the first request for the docs, not at boot: scanning every route's metadata was
  // more than half of createApp's own time, paid by every start for a page few ever open.
  SwaggerModule.setup(API_DOCS_PATH, app, () => buildApiDocument(app, config.server.appTitle), { jsonDocumentUrl: `${API_DOCS_PATH}-json` });
}
