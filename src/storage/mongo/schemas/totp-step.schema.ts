import { Schema } from 'mongoose';

export const TOTP_STEP_MODEL = 'GatehouseTotpStep';
export const TOTP_STEP_COLLECTION = 'gatehouse_totp_steps';

/** The last TOTP step accepted per user (replay guard). Gatehouse's own; LibreChat has none. */
export interface TotpStepDoc {
  /** The user's id as a hex string. */
  _id: string;
  step: number;
}

export const TotpStepSchema = new Schema<TotpStepDoc>(
  {
    _id: { type: String, required: true },
    step: { type: Number, required: true },
  },
  { collection: TOTP_STEP_COLLECTION, versionKey: false },
);
