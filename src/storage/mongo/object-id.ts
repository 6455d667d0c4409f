import { Types } from 'mongoose';

const OBJECT_ID_HEX = /^[0-9a-fA-F]{24}$/;

/**
 * Strict check: only 24 hex characters. `Types.ObjectId.isValid` also accepts any 12-character
 * string, which would turn an arbitrary id into a query instead of a clean "not found".
 */
export function isObjectIdHex(value: unknown): value is string {
  return typeof value === 'string' && OBJECT_ID_HEX.test(value);
}

/** Null when `value` is not an ObjectId hex string, so callers answer "not found" instead of throwing a CastError. */
export function toObjectId(value: string): Types.ObjectId | null {
  return isObjectIdHex(value) ? new Types.ObjectId(value) : null;
}

/** Like `toObjectId`, for writes where a malformed id is a caller bug rather than a miss. */
export function requireObjectId(value: string, what: string): Types.ObjectId {
  const id = toObjectId(value);
  if (!id) throw new Error(`${what} must be a 24-character ObjectId hex string`);
  return id;
}

export function idToString(id: unknown): string {
  return id instanceof Types.ObjectId ? id.toHexString() : String(id);
}

/** Documents written by LibreChat lack our timestamps; the ObjectId still carries its creation second. */
export function creationTimeOf(id: unknown): Date {
  return id instanceof Types.ObjectId ? id.getTimestamp() : new Date(0);
}

export function optionalString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function optionalDate(value: unknown): Date | null {
  return value instanceof Date ? value : null;
}
