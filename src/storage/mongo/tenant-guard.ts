import { Model } from 'mongoose';

export class MultiTenantDatabaseError extends Error {
  constructor() {
    super(
      'MONGO_URI points at a multi-tenant LibreChat database (users carry tenantId). Gatehouse does not support ' +
        'tenants and will not start, because its lookups by email or provider id would cross tenants. ' +
        'Use a single-tenant LibreChat database.',
    );
    this.name = 'MultiTenantDatabaseError';
  }
}

/**
 * MB-23: refuses a database where any user belongs to a tenant. One indexed query (LibreChat
 * indexes `tenantId`) at boot; an account created later by a multi-tenant LibreChat is caught at
 * the next start.
 */
export async function assertSingleTenant(users: Model<unknown>): Promise<void> {
  const tenanted = await users
    .findOne({ tenantId: { $exists: true, $nin: [null, ''] } }, { _id: 1 })
    .lean()
    .exec();
  if (tenanted) throw new MultiTenantDatabaseError();
}
