import { Schema, Types } from 'mongoose';
import { REFILL_INTERVAL_UNITS } from '../../ports/balance.repository';

/** Same model name and collection as LibreChat, so both applications share one `balances` collection. */
export const BALANCE_MODEL = 'Balance';
export const BALANCE_COLLECTION = 'balances';

export interface BalanceDoc {
  /** LibreChat keys records it creates now by the user's id; older ones have their own ObjectId. */
  _id: Types.ObjectId;
  user: Types.ObjectId;
  tokenCredits?: number | null;
  autoRefillEnabled?: boolean;
  refillIntervalValue?: number;
  refillIntervalUnit?: string;
  lastRefill?: Date;
  refillAmount?: number;
}

/**
 * LibreChat's `balances` fields Gatehouse reads or writes, with LibreChat's types, defaults and
 * index. LibreChat's request-admission fields (`reservations`, `reservedCredits`, `pendingRefill`)
 * are not declared: Gatehouse never reads or writes them, and its updates name only its own fields.
 */
export const BalanceSchema = new Schema<BalanceDoc>(
  {
    user: { type: Schema.Types.ObjectId, ref: 'User', index: true, required: true },
    tokenCredits: { type: Number, default: 0 },
    autoRefillEnabled: { type: Boolean, default: false },
    refillIntervalValue: { type: Number, default: 30 },
    refillIntervalUnit: { type: String, enum: [...REFILL_INTERVAL_UNITS], default: 'days' },
    // LibreChat's schema default, mirrored for schema compatibility; Gatehouse always writes lastRefill itself (injected clock).
    // eslint-disable-next-line no-restricted-properties
    lastRefill: { type: Date, default: Date.now },
    refillAmount: { type: Number, default: 0 },
  },
  { collection: BALANCE_COLLECTION },
);
