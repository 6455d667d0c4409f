import type { IncomingMessage } from 'node:http';
import { DomainError } from '../errors';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth';

/**
 * Options of the JSON body parser: BODY_LIMIT, and a depth check on the raw bytes before
 * JSON.parse, so a body nested 2,000 levels deep is a 400 BODY_TOO_DEEP instead of recursion in
 * parsing and validation (LG-05).
 */
export function jsonBodyOptions(limit: string) {
  return {
    limit,
    verify: (_req: IncomingMessage, _res: unknown, buf: Buffer) => {
      if (exceedsJsonDepth(buf)) throw new DomainError(400, 'BODY_TOO_DEEP', `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
    },
  };
}
