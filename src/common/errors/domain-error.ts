import type { ErrorEntry } from './error-catalogue';
import { CommonErrors } from './common.errors';

export interface DomainErrorOptions {
  /** A more precise text than the catalogue's (e.g. naming the limit that was broken). Never secrets. */
  message?: string;
  /** Extra fields merged into the response body (e.g. `retryAfter`). Never secrets. */
  details?: Record<string, unknown>;
}

/**
 * An error meant for the client: a status and stable machine-readable `code` from a module's
 * error catalogue, and a message that is safe to show. Anything that is not a DomainError (or an
 * HttpException) becomes a generic 500.
 */
export class DomainError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: Record<string, unknown>;
  /**
   * The catalogue entry, frozen. Not enumerable: log serializers (pino's) tag every enumerable
   * object they walk, which throws on a frozen one and turned every logged 5xx into a 500.
   */
  declare readonly entry: ErrorEntry;

  constructor(entry: ErrorEntry, options: DomainErrorOptions = {}) {
    super(options.message ?? entry.message);
    Object.defineProperty(this, 'entry', { value: entry, enumerable: false });
    this.name = 'DomainError';
    this.status = entry.status;
    this.code = entry.code;
    this.details = options.details;
  }
}

/** Stable codes used across modules (the common catalogue's codes); modules declare their own. */
export const ErrorCode = Object.fromEntries(Object.values(CommonErrors).map((e) => [e.code, e.code])) as {
  readonly [K in keyof typeof CommonErrors as (typeof CommonErrors)[K]['code']]: (typeof CommonErrors)[K]['code'];
};
