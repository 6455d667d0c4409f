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

export const ROUTE_NAME = 'gatehouse:routeName';

/**
 * A stable name for a route that rate limits and violation scoring attach to (spec §4.2 names
 * LibreChat's limiters after these routes). Only metadata: the limiter reads it when installed.
 */
export const RouteName = (name: string) => SetMetadata(ROUTE_NAME, name);
