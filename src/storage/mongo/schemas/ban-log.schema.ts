import { Schema, Types } from 'mongoose';

export const BAN_LOG_MODEL = 'GatehouseBanLog';
/** LibreChat's Keyv store (`@keyv/mongo`, collection `logs`), shared by all its Keyv namespaces. */
export const BAN_LOG_COLLECTION = 'logs';

export interface BanLogDoc {
  _id: Types.ObjectId;
  /** `BANS:<subject>`: Keyv prefixes keys with its namespace. */
  key: string;
  /** Keyv-serialised JSON: `{"value": {...ban}, "expires": <epoch ms>}`. */
  value: string;
  expiresAt: Date | null;
}

/**
 * Same indexes and options as `@keyv/mongo` creates, so neither side's createIndex conflicts.
 * No version key and no timestamps: Keyv documents have neither.
 */
export const BanLogSchema = new Schema<BanLogDoc>(
  {
    key: { type: String, required: true },
    value: { type: String, required: true },
    expiresAt: { type: Date },
  },
  { collection: BAN_LOG_COLLECTION, versionKey: false },
);

BanLogSchema.index({ key: 1 }, { unique: true });
BanLogSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
