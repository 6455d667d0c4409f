import { Schema, Types } from 'mongoose';

export const META_MODEL = 'GatehouseMeta';
export const META_COLLECTION = 'gatehouse_meta';
/** `_id` of the marker whose insert elects the first registered user. */
export const FIRST_USER_MARKER = 'first-user';

export interface MetaDoc {
  _id: string;
  userId?: Types.ObjectId;
  at: Date;
}

/** Singleton markers keyed by `_id`; the `_id` unique index is what makes a claim exclusive. */
export const MetaSchema = new Schema<MetaDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId },
    at: { type: Date, required: true },
  },
  { collection: META_COLLECTION, versionKey: false },
);
