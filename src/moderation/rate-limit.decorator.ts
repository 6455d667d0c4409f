import { SetMetadata } from '@nestjs/common';
import type { LimitName } from './limits';

export const RATE_LIMIT = 'gatehouse:rate-limit';

/**
 * Puts a route under one of the named limits and under the IP ban check (LibreChat's
 * limiter → checkBan order). Routes without it are not limited here.
 */
export const RateLimit = (name: LimitName) => SetMetadata(RATE_LIMIT, name);
