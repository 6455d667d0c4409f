/**
 * Single-use tokens (email verification, password reset, invites). Only a hash of the token
 * is stored. Mongo field names follow LibreChat's `tokens` collection (docs/librechat-differences.md#data-model).
 */
export interface OneTimeTokenRecord {
  id: string;
  userId: string | null;
  email: string | null;
  type: string;
  identifier: string | null;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  metadata: Record<string, string> | null;
}

export type NewOneTimeToken = Pick<OneTimeTokenRecord, 'type' | 'tokenHash' | 'expiresAt'> &
  Partial<Pick<OneTimeTokenRecord, 'userId' | 'email' | 'identifier' | 'metadata' | 'createdAt'>>;

/**
 * Fields a lookup ANDs together; unset fields are not part of the match. A filter with no field
 * set would match every token, so every operation refuses it (throws EmptyTokenFilterError)
 * rather than consume or delete an arbitrary one.
 */
export interface OneTimeTokenFilter {
  type?: string;
  tokenHash?: string;
  userId?: string;
  email?: string;
  identifier?: string;
}

export class EmptyTokenFilterError extends Error {
  constructor() {
    super('a one-time token filter needs at least one field');
    this.name = 'EmptyTokenFilterError';
  }
}

const FILTER_KEYS = ['type', 'tokenHash', 'userId', 'email', 'identifier'] as const satisfies readonly (keyof OneTimeTokenFilter)[];

/** Throws when no field of the filter is set (an `undefined` field counts as unset). */
export function assertTokenFilterNotEmpty(filter: OneTimeTokenFilter): void {
  if (!FILTER_KEYS.some((k) => filter[k] !== undefined)) throw new EmptyTokenFilterError();
}

export abstract class OneTimeTokenRepository {
  abstract create(input: NewOneTimeToken): Promise<OneTimeTokenRecord>;
  /**
   * Atomically removes and returns one unexpired token matching the filter. Two parallel calls
   * for the same token: exactly one gets it, the other gets null.
   */
  abstract consumeOne(filter: OneTimeTokenFilter, now: Date): Promise<OneTimeTokenRecord | null>;
  abstract find(filter: OneTimeTokenFilter, now: Date): Promise<OneTimeTokenRecord[]>;
  abstract deleteMany(filter: OneTimeTokenFilter): Promise<number>;
  abstract deleteExpired(now: Date): Promise<number>;
}
