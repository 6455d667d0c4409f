import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule, type ProviderModule } from './app.module';
import { setClientAddressPolicy } from './common/client-ip';
import { requestContextMiddleware } from './common/request-context';
import { StoreFaults } from './common/store-faults';
import { HttpErrorFilter, createValidationPipe } from './common/errors';
import { buildApiDocument } from './common/openapi';
import { bodyParsers, securityHeaders } from './common/http-pipeline';
import type { GatehouseConfig } from './config';
import { accessLogMiddleware } from './logging/logging.module';
import { GatehouseMetrics, requestMetricsMiddleware } from './metrics';
import { WEB_ROOT } from './web';

export const API_DOCS_PATH = 'api/docs';

/**
 * Builds the fully configured application without listening, so `main.ts`, the CLI-less test
 * harness and benchmarks all run exactly the same app.
 */
export interface CreateAppOptions {
  /** Sign-in provider modules to add to the built-in ones (docs/providers.md). */
  providerModules?: ProviderModule[];
}

export async function createApp(config: GatehouseConfig, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options.providerModules), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.use(accessLogMiddleware(() => PinoLogger.root));
  // Request count and latency per route template (METRICS_ENABLED); first, so refusals count too.
  if (config.operations.metricsEnabled) app.use(requestMetricsMiddleware(app.get(GatehouseMetrics)));
  // Who the client is: Express applies TRUST_PROXY to X-Forwarded-For, clientAddress() does the rest (MB-14, MB-15).
  app.set('trust proxy', config.server.trustProxy);
  setClientAddressPolicy(app, { ipv6SubnetPrefix: config.server.ipv6SubnetPrefix });
  app.disable('x-powered-by');
  // A fixed short set on JSON API responses, helmet with a strict policy on HTML (common/http-pipeline.ts);
  // the sign-in pages set their own policy, and only the Swagger UI pages get the relaxed one they need (setupApiDocs).
  app.use(securityHeaders());
  app.use(cookieParser());
  // Limits apply before any handler (and any password hashing) sees the body (PW-05); so does the
  // JSON depth limit (LG-05). Requests that carry no body skip the parsers.
  app.use(bodyParsers(config.server.bodyLimit));
  app.use(requestContextMiddleware());
  // The sign-in page's scripts and styles; the pages themselves come from WebPagesController.
  app.useStaticAssets(WEB_ROOT, { prefix: '/assets/', index: false, redirect: false, fallthrough: true, etag: true, maxAge: 0 });
  app.useGlobalFilters(new HttpErrorFilter(app.get(StoreFaults)));
  app.useGlobalPipes(createValidationPipe());
  setupApiDocs(app, config);
  return app;
}

/** swagger-ui's page runs inline scripts and styles; this policy is sent only under /api/docs. */
export const API_DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** Swagger UI and the JSON document; off in production unless API_DOCS=true (docs/api.md). */
function setupApiDocs(app: NestExpressApplication, config: GatehouseConfig): void {
  if (!config.server.apiDocs) return;
  app.use(`/${API_DOCS_PATH}`, (_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    res.setHeader('Content-Security-Policy', API_DOCS_CSP);
    next();
  });
  // Built on the first request for the docs, not at boot: scanning every route's metadata was
  // more than half of createApp's own time, paid by every start for a page few ever open.
  SwaggerModule.setup(API_DOCS_PATH, app, () => buildApiDocument(app, config.server.appTitle), { jsonDocumentUrl: `${API_DOCS_PATH}-json` });
}
