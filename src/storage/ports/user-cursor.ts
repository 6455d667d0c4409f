import type { UserRecord } from './user.repository';

/**
 * The position of a user page: creation time and id of the last user shown. The same encoding
 * in every adapter, so a cursor stays valid whichever store served the previous page. A cursor
 * that does not decode is treated as "from the start" by no one: callers get null and the API
 * answers 400.
 */
export interface UserCursor {
  at: number;
  id: string;
}

export function encodeUserCursor(user: Pick<UserRecord, 'createdAt' | 'id'>): string {
  return Buffer.from(`${user.createdAt.getTime()}:${user.id}`, 'utf8').toString('base64url');
}

export function decodeUserCursor(cursor: string | null | undefined): UserCursor | null {
  if (!cursor) return null;
  const match = /^(\d{1,15}):([0-9a-zA-Z_-]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? { at: Number(match[1]), id: match[2] } : null;
}

export function isValidUserCursor(cursor: string): boolean {
  return decodeUserCursor(cursor) !== null;
}
