import { Schema, Types } from 'mongoose';

export const SESSION_MODEL = 'Session';
export const SESSION_COLLECTION = 'sessions';

export interface SessionDoc {
  _id: Types.ObjectId;
  refreshTokenHash: string;
  expiration: Date;
  user: Types.ObjectId;
  // Gatehouse additions; absent on sessions LibreChat wrote.
  previousTokenHash?: string;
  rotatedAt?: Date;
  createdAt?: Date;
  lastUsedAt?: Date;
  userAgent?: string;
  ip?: string;
  provider?: string;
}

/**
 * LibreChat's `sessions` shape (refreshTokenHash, expiration, user) plus the fields our rotation
 * needs. No `timestamps` option: LibreChat has none, and createdAt/lastUsedAt are set from the
 * caller's clock.
 */
export const SessionSchema = new Schema<SessionDoc>(
  {
    refreshTokenHash: { type: String, required: true, index: true },
    // TTL as in LibreChat: the server removes the session once it expires.
    expiration: { type: Date, required: true, expires: 0 },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    // Sparse: most sessions were never rotated (and LibreChat's never are).
    previousTokenHash: { type: String, index: { sparse: true } },
    rotatedAt: { type: Date },
    createdAt: { type: Date },
    lastUsedAt: { type: Date },
    userAgent: { type: String },
    ip: { type: String },
    provider: { type: String },
  },
  { collection: SESSION_COLLECTION },
);
