import { Schema, Types } from 'mongoose';

export const AUDIT_EVENT_MODEL = 'GatehouseAuditEvent';
export const AUDIT_EVENT_COLLECTION = 'gatehouse_audit';

export interface AuditEventDoc {
  _id: Types.ObjectId;
  type: string;
  at: Date;
  userId: string | null;
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  method: string | null;
  provider: string | null;
  reason: string | null;
  details: Record<string, string | number | boolean | null>;
}

/** Gatehouse's own collection (LibreChat has no audit trail); retention is the janitor's, not a TTL index. */
export const AuditEventSchema = new Schema<AuditEventDoc>(
  {
    type: { type: String, required: true },
    at: { type: Date, required: true },
    userId: { type: String, default: null },
    actorId: { type: String, default: null },
    ip: { type: String, default: null },
    userAgent: { type: String, default: null },
    requestId: { type: String, default: null },
    method: { type: String, default: null },
    provider: { type: String, default: null },
    reason: { type: String, default: null },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: AUDIT_EVENT_COLLECTION, versionKey: false, minimize: false },
);

AuditEventSchema.index({ at: -1, _id: -1 });
AuditEventSchema.index({ userId: 1, at: -1, _id: -1 });
AuditEventSchema.index({ type: 1, at: -1, _id: -1 });
