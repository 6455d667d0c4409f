/**
 * Single-use tokens (email verification, password reset, invites). Only a hash of the token
 * is stored. Mongo field names follow LibreChat's `tokens` collection (spec §3.3).
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

/** Fields a lookup ANDs together; unset fields are not part of the match. */
export interface OneTimeTokenFilter {
  type?: string;
  tokenHash?: string;
  userId?: string;
  email?: string;
  identifier?: string;
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
