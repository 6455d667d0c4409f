import { Schema, Types } from 'mongoose';

export const IDP_TOKEN_MODEL = 'GatehouseIdpToken';
export const IDP_TOKEN_COLLECTION = 'gatehouse_idp_tokens';

export interface IdpTokenDoc {
  _id: Types.ObjectId;
  /** Kept as the port's string (not an ObjectId): it is part of the ciphertext's associated data. */
  userId: string;
  provider: string;
  sealed: string;
  expiresAt: Date | null;
  updatedAt: Date;
}

/**
 * No TTL on expiresAt: it is the access token's expiry, while the refresh token stored next to it
 * stays useful after that.
 */
export const IdpTokenSchema = new Schema<IdpTokenDoc>(
  {
    userId: { type: String, required: true },
    provider: { type: String, required: true },
    sealed: { type: String, required: true },
    expiresAt: { type: Date, default: null },
    updatedAt: { type: Date, required: true },
  },
  { collection: IDP_TOKEN_COLLECTION, versionKey: false },
);

IdpTokenSchema.index({ userId: 1, provider: 1 }, { unique: true });
