import { Schema, Types } from 'mongoose';

export const BAN_LOG_MODEL = 'GatehouseBanLog';
/** LibreChat's Keyv store (`@keyv/mongo`, collection `logs`), shared by all its Keyv namespaces. */
export const BAN_LOG_COLLECTION = 'logs';

export interface BanLogDoc {
  _id: Types.ObjectId;
  /** `BANS:<userId>` / `BANS:<ip>`: Keyv prefixes LibreChat's key with its namespace. */
  key: string;
  /** Keyv-serialised JSON: `{"value": {...ban}, "expires": <epoch ms>}`. */
  value: string;
  expiresAt: Date | null;
}

/**
 * No version key and no timestamps: Keyv documents have neither. The key index is NOT unique:
 * LibreChat's own Keyv store builds no index and upserts without one, so a `logs` collection it
 * wrote may hold duplicate keys and a unique index could never be built there (MB-18). Where an
 * older `@keyv/mongo` left a unique `key_1`, that one is kept (see mongo-indexes.ts).
 */
export const BanLogSchema = new Schema<BanLogDoc>(
  {
    key: { type: String, required: true },
    value: { type: String, required: true },
    expiresAt: { type: Date },
  },
  { collection: BAN_LOG_COLLECTION, versionKey: false },
);

BanLogSchema.index({ key: 1 });
BanLogSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
