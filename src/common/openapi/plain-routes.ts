import type { OperationObject, PathItemObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { X_PUBLIC } from './api-errors.decorator';

/** Liveness: served by Fastify directly (health/liveness.route.ts), not by a Nest controller. */
export const LIVENESS_PATH = '/health';

/**
 * The operations of routes Fastify serves without Nest, which Swagger's scan of the controllers
 * cannot see. The liveness operation keeps the id it had as a controller method, so generated
 * clients keep their names; completeApiDocument adds its security and the errors every route can give.
 */
export function plainRoutePaths(): Record<string, PathItemObject> {
  const liveness: OperationObject & Record<string, unknown> = {
    operationId: 'HealthController_live',
    summary: 'Liveness: the process is up and serving requests',
    tags: ['health'],
    parameters: [],
    responses: { 200: { description: '', content: { 'application/json': { schema: { $ref: '#/components/schemas/Liveness' } } } } },
    [X_PUBLIC]: true,
  };
  return { [LIVENESS_PATH]: { get: liveness } };
}
