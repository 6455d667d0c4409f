import { Schema, Types } from 'mongoose';

export const VIOLATION_MODEL = 'GatehouseViolation';
export const VIOLATION_COLLECTION = 'gatehouse_violations';

export interface ViolationDoc {
  _id: Types.ObjectId;
  subject: string;
  type: string;
  score: number;
  expiresAt: Date;
}

/**
 * Updated only through an update pipeline, so no defaults and no version key: mongoose would
 * otherwise try to add `$setOnInsert` to the pipeline on upsert.
 */
export const ViolationSchema = new Schema<ViolationDoc>(
  {
    subject: { type: String, required: true },
    type: { type: String, required: true },
    score: { type: Number, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: VIOLATION_COLLECTION, versionKey: false },
);

ViolationSchema.index({ subject: 1, type: 1 }, { unique: true });
ViolationSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
