import { SetMetadata } from '@nestjs/common';

/**
 * Route metadata read by the global guards (auth module). Kept in common/ so any module can mark
 * its routes without depending on the auth module.
 */
export const IS_PUBLIC = 'gatehouse:isPublic';
export const ROLES = 'gatehouse:roles';

/** Opts a route out of the global bearer guard (a valid token is still read if sent). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Restricts a route to users holding one of the roles (checked after authentication). */
export const Roles = (...roles: string[]) => SetMetadata(ROLES, roles);

