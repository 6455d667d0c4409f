import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { CommonErrors, declaredErrors, type ErrorEntry } from '../errors';
import { PACKAGE_ROOT } from '../package-root';
import { X_ERRORS, X_PUBLIC, X_RATE_LIMIT, X_ROLES } from './api-errors.decorator';
import { API_MODELS } from './api-models';
import { plainRoutePaths } from './plain-routes';

/** The service version: package.json's, so the document and the changelog (docs/changelog.md) name the same one. */
export const SERVICE_VERSION: string = readVersion();

function readVersion(): string {
  const file = path.join(PACKAGE_ROOT, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

const BEARER = 'bearer';
const REFRESH_COOKIE = 'refreshToken';
/** The sealed WebAuthn challenge a passkey ceremony's second step sends back (passkeys controller). */
const PASSKEY_CHALLENGE_COOKIE = 'passkey_challenge';
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);
type Code = Pick<ErrorEntry, 'status' | 'code'>;

/** What the global guards and parsers can answer on any route, by what the route is. */
const BEARER_ERRORS: Code[] = [
  { status: 401, code: 'TOKEN_MISSING' },
  { status: 401, code: 'TOKEN_INVALID' },
  { status: 401, code: 'TOKEN_EXPIRED' },
  { status: 401, code: 'OPENID_OPAQUE_TOKEN' },
  { status: 403, code: 'BANNED' },
  { status: 403, code: 'ACCOUNT_DISABLED' },
  { status: 503, code: 'IDP_UNAVAILABLE' },
];
const LIMIT_ERRORS: Code[] = [CommonErrors.RATE_LIMITED, { status: 403, code: 'BANNED' }];
const BODY_ERRORS: Code[] = [
  CommonErrors.VALIDATION_FAILED,
  CommonErrors.INVALID_JSON,
  CommonErrors.BODY_TOO_DEEP,
  CommonErrors.INVALID_CONTENT_ENCODING,
  CommonErrors.PAYLOAD_TOO_LARGE,
  CommonErrors.UNSUPPORTED_CONTENT_ENCODING,
];
const ALWAYS: Code[] = [CommonErrors.INTERNAL_ERROR, CommonErrors.SERVICE_UNAVAILABLE];

const built = new WeakMap<INestApplication, OpenAPIObject>();

/** The OpenAPI document of the configured application (served at /api/docs-json, checked by the contract test); built once per app. */
export function buildApiDocument(app: INestApplication, appTitle: string): OpenAPIObject {
  const cached = built.get(app);
  if (cached) return cached;
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`${appTitle} authentication API`)
      .setDescription('Sign-in, sessions and tokens; compatible with the LibreChat web client. Changes per version: docs/changelog.md.')
      .setVersion(SERVICE_VERSION)
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER)
      .addCookieAuth(REFRESH_COOKIE, { type: 'apiKey', in: 'cookie', name: REFRESH_COOKIE }, REFRESH_COOKIE)
      .addCookieAuth(PASSKEY_CHALLENGE_COOKIE, { type: 'apiKey', in: 'cookie', name: PASSKEY_CHALLENGE_COOKIE }, PASSKEY_CHALLENGE_COOKIE)
      .build(),
    { extraModels: API_MODELS },
  );
  // First, where liveness stood when it was a controller route.
  document.paths = { ...plainRoutePaths(), ...document.paths };
  built.set(app, completeApiDocument(document));
  return built.get(app)!;
}

/**
 * Turns the decorators' extensions into the contract: each operation's security (bearer unless
 * public), and per error status a response with the `Error` schema and the codes it can carry
 * (`x-error-codes`), from the operation's `@ApiErrors` plus what its guards and parsers can answer.
 */
export function completeApiDocument(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components ??= {}).schemas ?? (document.components.schemas = {});
  schemas.Error = errorSchema();
  const operationIds = new Set<string>();
  for (const [template, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item) as [string, OperationObject & Record<string, unknown>][]) {
      if (typeof operation !== 'object' || !operation || !('responses' in operation)) continue;
      // One handler on two paths (the forwarding wildcard) would repeat its id; generated clients need unique ones.
      if (operation.operationId && operationIds.has(operation.operationId))
        operation.operationId += template.endsWith('{path}') ? '_subpath' : `_${operationIds.size}`;
      if (operation.operationId) operationIds.add(operation.operationId);
      const isPublic = operation[X_PUBLIC] === true;
      delete operation[X_PUBLIC];
      if (!isPublic && !operation.security?.length) operation.security = [{ [BEARER]: [] }];
      if (isPublic && !operation.security) operation.security = [];
      const codes: Code[] = [...ALWAYS, ...((operation[X_ERRORS] as Code[] | undefined) ?? [])];
      delete operation[X_ERRORS];
      if (!isPublic) codes.push(...BEARER_ERRORS);
      if (operation[X_RATE_LIMIT]) codes.push(...LIMIT_ERRORS);
      if (operation[X_ROLES]) codes.push({ status: 403, code: 'FORBIDDEN' });
      if (BODY_METHODS.has(method)) codes.push(...BODY_ERRORS);
      addErrorResponses(operation, codes);
    }
  }
  return document;
}

function addErrorResponses(operation: OperationObject, codes: Code[]): void {
  const byStatus = new Map<number, Set<string>>();
  for (const { status, code } of codes) (byStatus.get(status) ?? byStatus.set(status, new Set()).get(status)!).add(code);
  for (const [status, set] of [...byStatus].sort(([a], [b]) => a - b)) {
    const list = [...set].sort();
    const given = operation.responses[String(status)] as (ResponseObject & Record<string, unknown>) | undefined;
    operation.responses[String(status)] = {
      description: given?.description ?? `Error: ${list.join(', ')}`,
      // A route may describe its own error body (readiness' details); otherwise the shared Error.
      content: given?.content ?? { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      'x-error-codes': list,
    } as ResponseObject;
  }
}

/** `{ message, code }` plus the few documented extra fields some codes carry; `code` lists every catalogue code. */
function errorSchema(): SchemaObject {
  const codes = [...new Set(declaredErrors().map((e) => e.code))].sort();
  return {
    type: 'object',
    required: ['message', 'code'],
    properties: {
      message: { type: 'string', description: 'Safe to show to people.' },
      code: { type: 'string', enum: codes, description: 'Stable machine-readable code (docs/api.md#errors).' },
      retryAfter: { type: 'number', description: 'RATE_LIMITED: seconds until the limit lifts.' },
      expiresAt: { type: 'string', format: 'date-time', description: 'BANNED: when the ban ends.' },
    },
  };
}
