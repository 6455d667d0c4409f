import { ApiExtension } from '@nestjs/swagger';
import type { ErrorEntry } from '../errors';

/** Extension keys the decorators leave on operations; `completeApiDocument` turns them into responses and security. */
export const X_ERRORS = 'x-gatehouse-errors';
export const X_PUBLIC = 'x-gatehouse-public';
export const X_RATE_LIMIT = 'x-rate-limit';
export const X_ROLES = 'x-gatehouse-roles';

/**
 * The catalogue entries an operation (or every operation of a controller) can answer with, beyond
 * the ones the document adds from the route's guards (bearer, limits, roles, bodies, outages).
 * The document groups them by status and lists the codes under each.
 */
export function ApiErrors(...entries: ErrorEntry[]): MethodDecorator & ClassDecorator {
  return ApiExtension(
    X_ERRORS,
    entries.map(({ status, code }) => ({ status, code })),
  ) as MethodDecorator & ClassDecorator;
}
