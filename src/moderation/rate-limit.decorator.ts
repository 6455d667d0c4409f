import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { X_RATE_LIMIT } from '../common/openapi';
import type { LimitName } from './limits';

export const RATE_LIMIT = 'gatehouse:rate-limit';

/**
 * Puts a route under one of the named limits and under the IP ban check (LibreChat's
 * limiter → checkBan order). Routes without it are not limited here.
 * The API document names the limit (`x-rate-limit`) and lists its 429 and the ban's 403.
 */
export const RateLimit = (name: LimitName) => applyDecorators(SetMetadata(RATE_LIMIT, name), ApiExtension(X_RATE_LIMIT, name));
