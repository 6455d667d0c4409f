import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { X_PUBLIC, X_ROLES } from './openapi';

/**
 * Route metadata read by the global guards (auth module). Kept in common/ so any module can mark
 * its routes without depending on the auth module.
 */
export const IS_PUBLIC = 'gatehouse:isPublic';
export const ROLES = 'gatehouse:roles';

/** Opts a route out of the global bearer guard (a valid token is still read if sent). */
/** The API document reads the same mark: a public operation has no security, any other needs a bearer token. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(X_PUBLIC, true));

/** Restricts a route to users holding one of the roles (checked after authentication). */
export const Roles = (...roles: string[]) => applyDecorators(SetMetadata(ROLES, roles), ApiExtension(X_ROLES, roles));
