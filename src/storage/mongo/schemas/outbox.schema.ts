import { Schema, Types } from 'mongoose';
import { OutboxStatus } from '../../ports';

export const OUTBOX_MODEL = 'GatehouseOutbox';
export const OUTBOX_COLLECTION = 'gatehouse_outbox';

export interface OutboxDoc {
  _id: Types.ObjectId;
  kind: string;
  payload: string;
  status: OutboxStatus;
  attempts: number;
  availableAt: Date;
  lastError?: string | null;
  /** Instance holding the claim (RL-13). */
  leaseOwner?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** createdAt/updatedAt come from the caller's clock (`now`), hence no `timestamps` option. */
export const OutboxSchema = new Schema<OutboxDoc>(
  {
    kind: { type: String, required: true },
    payload: { type: String, required: true },
    status: { type: String, required: true, enum: ['pending', 'sent', 'dead'] },
    attempts: { type: Number, required: true },
    availableAt: { type: Date, required: true },
    lastError: { type: String },
    leaseOwner: { type: String },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: OUTBOX_COLLECTION, versionKey: false },
);

// Serves claimDue: equality on status, then the oldest due message first.
OutboxSchema.index({ status: 1, availableAt: 1 });
