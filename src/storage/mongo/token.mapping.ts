import { Types } from 'mongoose';
import { NewOneTimeToken, OneTimeTokenFilter, OneTimeTokenRecord, assertTokenFilterNotEmpty } from '../ports';
import { idToString, optionalString, toObjectId } from './object-id';
import { TokenDoc } from './schemas/token.schema';
import { canonicalEmail } from './user.mapping';

/**
 * `tokens.userId` is a required ObjectId in LibreChat, which fills it with a random ObjectId for
 * invites. We store this fixed all-zero id instead when the port says null: LibreChat never
 * reads an invite's userId, and a fixed value lets us map it back to null (a random one would
 * be indistinguishable from a real user id). Invites LibreChat wrote keep their random id.
 */
export const NO_USER_ID = new Types.ObjectId('000000000000000000000000');

/** `now` (the caller's clock) stands in for a missing `createdAt`. */
export function buildTokenInsert(input: NewOneTimeToken, id: Types.ObjectId, now: Date): TokenDoc {
  const userId = input.userId == null ? NO_USER_ID : toObjectId(input.userId);
  if (!userId) throw new Error('userId must be a 24-character ObjectId hex string');
  const doc: TokenDoc = {
    _id: id,
    userId,
    type: input.type,
    token: input.tokenHash,
    createdAt: input.createdAt ?? now,
    expiresAt: input.expiresAt,
  };
  // Canonical like users' emails (and like LibreChat's newer token schema), so lookups by email
  // match whatever case the address was typed in.
  if (input.email != null) doc.email = canonicalEmail(input.email);
  if (input.identifier != null) doc.identifier = input.identifier;
  if (input.metadata != null) doc.metadata = { ...input.metadata };
  return doc;
}

/**
 * The port's filter fields ANDed as a MongoDB filter (port name `tokenHash` → `token`). Null when
 * the filter can never match (a userId that is not an ObjectId), so callers skip the query
 * instead of letting mongoose throw a CastError.
 */
export function tokenFilter(filter: OneTimeTokenFilter): Record<string, unknown> | null {
  assertTokenFilterNotEmpty(filter);
  const query: Record<string, unknown> = {};
  if (filter.type !== undefined) query.type = filter.type;
  if (filter.tokenHash !== undefined) query.token = filter.tokenHash;
  if (filter.email !== undefined) query.email = canonicalEmail(filter.email);
  if (filter.identifier !== undefined) query.identifier = filter.identifier;
  if (filter.userId !== undefined) {
    const userId = toObjectId(filter.userId);
    if (!userId) return null;
    query.userId = userId;
  }
  return query;
}

/** `tokenFilter` restricted to tokens still valid at `now`. */
export function liveTokenFilter(filter: OneTimeTokenFilter, now: Date): Record<string, unknown> | null {
  const query = tokenFilter(filter);
  return query && { ...query, expiresAt: { $gt: now } };
}

export function toTokenRecord(doc: TokenDoc): OneTimeTokenRecord {
  const stored = idToString(doc.userId);
  return {
    id: idToString(doc._id),
    userId: stored === NO_USER_ID.toHexString() ? null : stored,
    email: optionalString(doc.email),
    type: doc.type ?? '',
    identifier: optionalString(doc.identifier),
    tokenHash: doc.token,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    metadata: metadataOf(doc.metadata),
  };
}

/** Hydrated documents hold a Map, `lean()` reads a plain object; values are text in the port. */
function metadataOf(raw: TokenDoc['metadata']): Record<string, string> | null {
  if (raw == null) return null;
  const entries = raw instanceof Map ? [...raw.entries()] : Object.entries(raw);
  return Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}
