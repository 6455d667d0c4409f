import type { IncomingMessage } from 'node:http';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth';
import { CommonErrors, DomainError } from '../errors';

/**
 * Options of the JSON body parser: BODY_LIMIT, and a depth check on the raw bytes before
 * JSON.parse, so a body nested 2,000 levels deep is a 400 BODY_TOO_DEEP instead of recursion in
 * parsing and validation (LG-05).
 */
export function jsonBodyOptions(limit: string) {
  return {
    limit,
    verify: (_req: IncomingMessage, _res: unknown, buf: Buffer) => {
      if (exceedsJsonDepth(buf)) throw new DomainError(CommonErrors.BODY_TOO_DEEP, { message: `The request body nests deeper than ${MAX_JSON_DEPTH} levels.` });
    },
  };
}
