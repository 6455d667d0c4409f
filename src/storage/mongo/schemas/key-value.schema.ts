import { Schema } from 'mongoose';

export const KEY_VALUE_MODEL = 'GatehouseKeyValue';
export const KEY_VALUE_COLLECTION = 'gatehouse_kv';

export interface KeyValueDoc {
  /** The key itself: the `_id` unique index makes every per-key operation a single-document one. */
  _id: string;
  value: string;
  /** Set by `increment`; `value` then holds the same number as text. */
  counter?: number;
  expiresAt: Date;
}

/** No defaults and no version key: `increment` upserts with an update pipeline (see ViolationSchema). */
export const KeyValueSchema = new Schema<KeyValueDoc>(
  {
    _id: { type: String, required: true },
    value: { type: String, required: true },
    counter: { type: Number },
    expiresAt: { type: Date, required: true },
  },
  { collection: KEY_VALUE_COLLECTION, versionKey: false },
);

// The TTL monitor is only housekeeping (it runs every 60 s); reads check expiresAt themselves.
KeyValueSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
