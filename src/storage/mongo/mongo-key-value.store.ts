import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { CounterValue, KeyValueStore } from '../ports';
import { MongoIndexes } from './mongo-indexes';
import { isDuplicateKeyError, retryOnDuplicateKey } from './mongo-errors';
import { KEY_VALUE_MODEL, KeyValueDoc } from './schemas/key-value.schema';
import { incrementPipeline } from './update-pipelines';

/**
 * Every read filters on `expiresAt > now`: the TTL monitor runs once a minute, so an expired
 * document may still be there and must behave as absent.
 */
@Injectable()
export class MongoKeyValueStore extends KeyValueStore {
  constructor(
    @InjectModel(KEY_VALUE_MODEL) private readonly entries: Model<KeyValueDoc>,
    _indexes: MongoIndexes,
  ) {
    super();
  }

  async get(key: string, now: Date): Promise<string | null> {
    const doc = await this.entries
      .findOne({ _id: key, expiresAt: { $gt: now } })
      .lean<KeyValueDoc>()
      .exec();
    return doc?.value ?? null;
  }

  async set(key: string, value: string, ttlMs: number, now: Date): Promise<void> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    await retryOnDuplicateKey(() => this.entries.updateOne({ _id: key }, { $set: { value, expiresAt }, $unset: { counter: 1 } }, { upsert: true }).exec());
  }

  /**
   * The filter matches only an expired document; a live one does not match, so the upsert tries
   * to insert a second `_id` and fails with a duplicate key, which means "already set".
   * (MongoDB does not retry this upsert itself: the filter is not a plain equality.)
   */
  async setIfAbsent(key: string, value: string, ttlMs: number, now: Date): Promise<boolean> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    try {
      const result = await this.entries
        .updateOne({ _id: key, expiresAt: { $lte: now } }, { $set: { value, expiresAt }, $unset: { counter: 1 } }, { upsert: true })
        .exec();
      return result.upsertedCount > 0 || result.matchedCount > 0;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  async take(key: string, now: Date): Promise<string | null> {
    const doc = await this.entries
      .findOneAndDelete({ _id: key, expiresAt: { $gt: now } })
      .lean<KeyValueDoc>()
      .exec();
    return doc?.value ?? null;
  }

  async delete(key: string): Promise<boolean> {
    const result = await this.entries.deleteOne({ _id: key }).exec();
    return result.deletedCount > 0;
  }

  async increment(key: string, by: number, ttlMs: number, now: Date): Promise<CounterValue> {
    const doc = await retryOnDuplicateKey(() =>
      this.entries
        .findOneAndUpdate({ _id: key }, incrementPipeline(by, ttlMs, now), {
          upsert: true,
          returnDocument: 'after',
          updatePipeline: true,
        })
        .lean<KeyValueDoc>()
        .exec(),
    );
    if (!doc) throw new Error(`increment of ${key} returned no document`);
    return { value: Number(doc.counter ?? by), expiresAt: doc.expiresAt };
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.entries.deleteMany({ expiresAt: { $lte: now } }).exec();
    return result.deletedCount;
  }
}
