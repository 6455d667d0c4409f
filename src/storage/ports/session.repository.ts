/**
 * A refresh session: one per sign-in. Only hashes of refresh tokens are stored (SE-05).
 * `previousTokenHash`/`rotatedAt` remember the token replaced by the last rotation, so the
 * sessions module can tell a benign concurrent refresh (inside a grace window) from a replay.
 * Mongo field names follow LibreChat's `sessions` collection (refreshTokenHash, expiration, user).
 */
export interface RefreshSessionRecord {
  id: string;
  userId: string;
  tokenHash: string;
  previousTokenHash: string | null;
  rotatedAt: Date | null;
  /** Absolute end of the session; never extended by rotation (SE-04). */
  expiresAt: Date;
  createdAt: Date;
  lastUsedAt: Date;
  userAgent: string | null;
  ip: string | null;
  /** Which kind of sign-in opened the session (local, google, openid, ...). */
  provider: string | null;
}

export type NewRefreshSession = Pick<RefreshSessionRecord, 'userId' | 'tokenHash' | 'expiresAt'> &
  Partial<Pick<RefreshSessionRecord, 'userAgent' | 'ip' | 'provider' | 'createdAt'>>;

export interface SessionMatch {
  session: RefreshSessionRecord;
  /** `current`: the hash is the live token; `previous`: it was replaced by the last rotation. */
  matched: 'current' | 'previous';
}

export interface RotateSessionInput {
  id: string;
  /** Compare-and-swap guard: rotation happens only while this is still the live hash. */
  expectedTokenHash: string;
  newTokenHash: string;
  now: Date;
}

export abstract class SessionRepository {
  abstract create(input: NewRefreshSession): Promise<RefreshSessionRecord>;
  abstract findById(id: string): Promise<RefreshSessionRecord | null>;
  /** Finds an unexpired session whose current or previous token hash equals `tokenHash`. */
  abstract findByTokenHash(tokenHash: string, now: Date): Promise<SessionMatch | null>;
  /** Atomic swap (RL-09): returns the rotated session, or null when the guard did not hold. */
  abstract rotate(input: RotateSessionInput): Promise<RefreshSessionRecord | null>;
  abstract touch(id: string, now: Date): Promise<void>;
  abstract listByUser(userId: string, now: Date): Promise<RefreshSessionRecord[]>;
  abstract delete(id: string): Promise<boolean>;
  abstract deleteByUser(userId: string): Promise<number>;
  abstract deleteExpired(now: Date): Promise<number>;
}
