import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { BalanceRecord, BalanceRepository, BalanceSync } from '../ports';
import { balanceSyncPipeline } from './balance.pipelines';
import { retryOnDuplicateKey } from './mongo-errors';
import { requireObjectId, toObjectId } from './object-id';
import { BALANCE_MODEL, BalanceDoc } from './schemas';

/** LibreChat reads the oldest record when an older version left two for one user. */
const OLDEST_FIRST = { _id: 1 } as const;

function toRecord(doc: BalanceDoc): BalanceRecord {
  return {
    userId: doc.user.toHexString(),
    tokenCredits: typeof doc.tokenCredits === 'number' ? doc.tokenCredits : null,
    autoRefillEnabled: doc.autoRefillEnabled === true,
    refillIntervalValue: doc.refillIntervalValue ?? 30,
    refillIntervalUnit: doc.refillIntervalUnit ?? 'days',
    lastRefill: doc.lastRefill instanceof Date ? doc.lastRefill : null,
    refillAmount: doc.refillAmount ?? 0,
  };
}

/**
 * LibreChat's `balances` collection. A record Gatehouse creates is keyed by the user's id
 * (`_id` = user id, as LibreChat now keys the records it creates), so parallel sign-ins on any
 * number of instances converge on one document through the `_id` index instead of inserting one
 * each; an existing record (also one LibreChat created with its own `_id`) is updated in place.
 */
@Injectable()
export class MongoBalanceRepository extends BalanceRepository {
  constructor(@InjectModel(BALANCE_MODEL) private readonly balances: Model<BalanceDoc>) {
    super();
  }

  async find(userId: string): Promise<BalanceRecord | null> {
    const user = toObjectId(userId);
    if (!user) return null;
    const doc = await this.balances.findOne({ user }).sort(OLDEST_FIRST).lean<BalanceDoc>().exec();
    return doc ? toRecord(doc) : null;
  }

  async syncOnSignIn(userId: string, sync: BalanceSync, now: Date): Promise<BalanceRecord> {
    const user = requireObjectId(userId, 'balance user id');
    const existing = await this.balances
      .findOneAndUpdate({ user }, balanceSyncPipeline(user, sync, now, false), { sort: OLDEST_FIRST, returnDocument: 'after', updatePipeline: true })
      .lean<BalanceDoc>()
      .exec();
    if (existing) return toRecord(existing);
    const created = await retryOnDuplicateKey(() =>
      this.balances
        .findOneAndUpdate({ _id: user }, balanceSyncPipeline(user, sync, now, true), {
          upsert: true,
          returnDocument: 'after',
          updatePipeline: true,
        })
        .lean<BalanceDoc>()
        .exec(),
    );
    if (!created) throw new Error('balance upsert returned no document');
    return toRecord(created);
  }

  async deleteFor(userId: string): Promise<number> {
    const user = toObjectId(userId);
    if (!user) return 0;
    const result = await this.balances.deleteMany({ user }).exec();
    return result.deletedCount;
  }
}
