import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { AuditEventRecord, AuditLog, AuditQuery, NewAuditEvent } from '../ports';
import { MongoIndexes } from './mongo-indexes';
import { toObjectId } from './object-id';
import { AUDIT_EVENT_MODEL, AuditEventDoc } from './schemas/audit-event.schema';

function toRecord(doc: AuditEventDoc): AuditEventRecord {
  return {
    id: doc._id.toHexString(),
    type: doc.type,
    at: doc.at,
    userId: doc.userId ?? null,
    actorId: doc.actorId ?? null,
    ip: doc.ip ?? null,
    userAgent: doc.userAgent ?? null,
    requestId: doc.requestId ?? null,
    method: doc.method ?? null,
    provider: doc.provider ?? null,
    reason: doc.reason ?? null,
    details: doc.details ?? {},
  };
}

/** The audit trail in `gatehouse_audit`; ObjectIds of one process increase, so (at, _id) orders events. */
@Injectable()
export class MongoAuditLog extends AuditLog {
  constructor(
    @InjectModel(AUDIT_EVENT_MODEL) private readonly events: Model<AuditEventDoc>,
    _indexes: MongoIndexes,
  ) {
    super();
  }

  async append(event: NewAuditEvent): Promise<AuditEventRecord> {
    const _id = new Types.ObjectId();
    await this.events.collection.insertOne({ _id, ...event });
    return { ...event, id: _id.toHexString() };
  }

  async query(query: AuditQuery): Promise<AuditEventRecord[]> {
    const filter: Record<string, unknown> = {};
    if (query.userId !== undefined) filter.userId = query.userId;
    if (query.type !== undefined) filter.type = query.type;
    if (query.from || query.to) filter.at = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lt: query.to } : {}) };
    if (query.before) {
      const _id = toObjectId(query.before.id);
      // A position this adapter never issued matches nothing rather than everything.
      if (!_id) return [];
      filter.$or = [{ at: { $lt: query.before.at } }, { at: query.before.at, _id: { $lt: _id } }];
    }
    const docs = await this.events.find(filter).sort({ at: -1, _id: -1 }).limit(query.limit).lean<AuditEventDoc[]>().exec();
    return docs.map(toRecord);
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.events.deleteMany({ at: { $lt: cutoff } }).exec();
    return result.deletedCount;
  }
}
