import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { UserRecord } from '../../storage';
import type { AccessClaims } from '../access-token.service';

export { IS_PUBLIC, Public, ROLES, Roles } from '../../common/access.decorators';

export interface AuthenticatedRequest extends FastifyRequest {
  user?: UserRecord;
  auth?: AccessClaims;
}

/** The authenticated user of the request (set by the bearer guard). */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthenticatedRequest>().user);

/** The verified access-token claims of the request. */
export const CurrentAuth = createParamDecorator((_data: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthenticatedRequest>().auth);
