import { Types } from 'mongoose';
import { NewRefreshSession, RefreshSessionRecord, RotateSessionInput } from '../ports';
import { creationTimeOf, idToString, optionalDate, optionalString } from './object-id';
import { SessionDoc } from './schemas/session.schema';

/** Port names → LibreChat's: tokenHash ↔ refreshTokenHash, expiresAt ↔ expiration, userId ↔ user. */
/** `now` (the caller's clock) stands in for a missing `createdAt`. */
export function buildSessionInsert(input: NewRefreshSession, id: Types.ObjectId, user: Types.ObjectId, now: Date): SessionDoc {
  const createdAt = input.createdAt ?? now;
  const doc: SessionDoc = {
    _id: id,
    user,
    refreshTokenHash: input.tokenHash,
    expiration: input.expiresAt,
    createdAt,
    lastUsedAt: createdAt,
  };
  if (input.userAgent != null) doc.userAgent = input.userAgent;
  if (input.ip != null) doc.ip = input.ip;
  if (input.provider != null) doc.provider = input.provider;
  return doc;
}

/**
 * Compare-and-swap in one findOneAndUpdate: the document changes only while `expectedTokenHash` is
 * still the live hash and the session has not expired, so of two concurrent rotations one wins.
 */
export function rotateQuery(input: RotateSessionInput, id: Types.ObjectId) {
  return {
    filter: { _id: id, refreshTokenHash: input.expectedTokenHash, expiration: { $gt: input.now } },
    update: {
      $set: {
        previousTokenHash: input.expectedTokenHash,
        refreshTokenHash: input.newTokenHash,
        rotatedAt: input.now,
        lastUsedAt: input.now,
      },
    },
  };
}

export function toSessionRecord(doc: SessionDoc): RefreshSessionRecord {
  const createdAt = optionalDate(doc.createdAt) ?? creationTimeOf(doc._id);
  return {
    id: idToString(doc._id),
    userId: idToString(doc.user),
    tokenHash: doc.refreshTokenHash,
    previousTokenHash: optionalString(doc.previousTokenHash),
    rotatedAt: optionalDate(doc.rotatedAt),
    expiresAt: doc.expiration,
    createdAt,
    lastUsedAt: optionalDate(doc.lastUsedAt) ?? createdAt,
    userAgent: optionalString(doc.userAgent),
    ip: optionalString(doc.ip),
    provider: optionalString(doc.provider),
  };
}
