import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { NewOutboxMessage, OutboxMessage, OutboxRepository, OutboxStatus } from '../ports';
import { MongoIndexes } from './mongo-indexes';
import { toObjectId } from './object-id';
import { claimQuery, toOutboxMessage } from './outbox.mapping';
import { OUTBOX_MODEL, OutboxDoc } from './schemas/outbox.schema';

@Injectable()
export class MongoOutboxRepository extends OutboxRepository {
  constructor(
    @InjectModel(OUTBOX_MODEL) private readonly messages: Model<OutboxDoc>,
    _indexes: MongoIndexes,
  ) {
    super();
  }

  async enqueue(input: NewOutboxMessage, now: Date): Promise<OutboxMessage> {
    const doc: OutboxDoc = {
      _id: new Types.ObjectId(),
      kind: input.kind,
      payload: input.payload,
      status: 'pending',
      attempts: 0,
      availableAt: input.availableAt ?? now,
      lastError: null,
      createdAt: now,
      updatedAt: now,
    };
    const created = await this.messages.create(doc);
    return toOutboxMessage(created.toObject<OutboxDoc>());
  }

  /** Claims one message per round trip: each claim is atomic, a batch claim would not be. */
  async claimDue(now: Date, limit: number, leaseMs: number, owner = 'unnamed'): Promise<OutboxMessage[]> {
    const { filter, update, sort } = claimQuery(now, leaseMs, owner);
    const claimed: OutboxMessage[] = [];
    while (claimed.length < limit) {
      const doc = await this.messages.findOneAndUpdate(filter, update, { sort, returnDocument: 'after' }).lean<OutboxDoc>().exec();
      if (!doc) break;
      claimed.push(toOutboxMessage(doc));
    }
    return claimed;
  }

  async renewLease(id: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
    const _id = toObjectId(id);
    if (!_id) return false;
    const result = await this.messages
      .updateOne({ _id, leaseOwner: owner, status: 'pending' }, { $set: { availableAt: new Date(now.getTime() + leaseMs) } })
      .exec();
    return result.matchedCount > 0;
  }

  async markSent(id: string, now: Date): Promise<void> {
    const _id = toObjectId(id);
    if (!_id) return;
    await this.messages.updateOne({ _id }, { $set: { status: 'sent', updatedAt: now } }).exec();
  }

  async markFailed(id: string, error: string, retryAt: Date | null, now: Date): Promise<void> {
    const _id = toObjectId(id);
    if (!_id) return;
    const $set =
      retryAt === null ? { status: 'dead', lastError: error, updatedAt: now } : { status: 'pending', availableAt: retryAt, lastError: error, updatedAt: now };
    await this.messages.updateOne({ _id }, { $set }).exec();
  }

  async findById(id: string): Promise<OutboxMessage | null> {
    const _id = toObjectId(id);
    if (!_id) return null;
    const doc = await this.messages.findOne({ _id }).lean<OutboxDoc>().exec();
    return doc ? toOutboxMessage(doc) : null;
  }

  async countByStatus(): Promise<Record<OutboxStatus, number>> {
    const groups = await this.messages.aggregate<{ _id: string; count: number }>([{ $group: { _id: '$status', count: { $sum: 1 } } }]).exec();
    const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, dead: 0 };
    for (const group of groups) {
      if (group._id in counts) counts[group._id as OutboxStatus] = group.count;
    }
    return counts;
  }

  async oldestPendingAt(): Promise<Date | null> {
    const doc = await this.messages.findOne({ status: 'pending' }, { createdAt: 1 }).sort({ createdAt: 1 }).lean<{ createdAt: Date }>().exec();
    return doc?.createdAt ?? null;
  }
}
