import { Schema } from 'mongoose';

export const PASSKEY_MODEL = 'GatehousePasskey';
export const PASSKEY_COLLECTION = 'gatehouse_passkeys';

/** A WebAuthn credential. Gatehouse's own collection: LibreChat has no passkeys. */
export interface PasskeyDoc {
  /** Gatehouse's id of the credential (a UUID). */
  _id: string;
  /** The user's id as a hex string. */
  userId: string;
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  name: string;
  userHandle: string;
  backedUp: boolean;
  flaggedAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export const PasskeySchema = new Schema<PasskeyDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    credentialId: { type: String, required: true },
    publicKey: { type: String, required: true },
    counter: { type: Number, required: true },
    transports: { type: [String], default: [] },
    name: { type: String, required: true },
    userHandle: { type: String, required: true },
    backedUp: { type: Boolean, default: false },
    flaggedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    lastUsedAt: { type: Date, default: null },
  },
  { collection: PASSKEY_COLLECTION, versionKey: false },
);
// PK-06: one credential id, one account.
PasskeySchema.index({ credentialId: 1 }, { unique: true });
PasskeySchema.index({ userId: 1, createdAt: 1 });
