import { Schema, Types } from 'mongoose';

export const TOKEN_MODEL = 'Token';
export const TOKEN_COLLECTION = 'tokens';

export interface TokenDoc {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  email?: string;
  type?: string;
  identifier?: string;
  /** Hash of the token (port field `tokenHash`); LibreChat names it `token`. */
  token: string;
  createdAt: Date;
  expiresAt: Date;
  metadata?: Map<string, unknown> | Record<string, unknown>;
}

/**
 * LibreChat's `tokens` shape. `metadata` is a Map of Mixed there, kept as such so documents
 * LibreChat wrote with non-string values still read; we only ever write strings.
 */
export const TokenSchema = new Schema<TokenDoc>(
  {
    userId: { type: Schema.Types.ObjectId, required: true, ref: 'user' },
    // Lower-cased as in LibreChat's token schema (the mapping canonicalises it already).
    email: { type: String, lowercase: true },
    type: { type: String },
    identifier: { type: String },
    token: { type: String, required: true },
    // LibreChat's own schema default, kept for compatibility; Gatehouse always writes createdAt from its Clock.
    // eslint-disable-next-line no-restricted-properties
    createdAt: { type: Date, required: true, default: Date.now },
    expiresAt: { type: Date, required: true },
    metadata: { type: Map, of: Schema.Types.Mixed },
  },
  { collection: TOKEN_COLLECTION },
);

TokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
TokenSchema.index({ userId: 1, type: 1, identifier: 1, tenantId: 1 });
// Not in LibreChat: every lookup here starts from the token hash.
TokenSchema.index({ token: 1 });
