import { Clock, SystemClock } from '../../common/clock';
import { Injectable, Optional } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { NewOneTimeToken, OneTimeTokenFilter, OneTimeTokenRecord, OneTimeTokenRepository } from '../ports';
import { MongoIndexes } from './mongo-indexes';
import { TOKEN_MODEL, TokenDoc } from './schemas/token.schema';
import { buildTokenInsert, liveTokenFilter, toTokenRecord, tokenFilter } from './token.mapping';

@Injectable()
export class MongoOneTimeTokenRepository extends OneTimeTokenRepository {
  constructor(
    @InjectModel(TOKEN_MODEL) private readonly tokens: Model<TokenDoc>,
    _indexes: MongoIndexes,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {
    super();
  }

  async create(input: NewOneTimeToken): Promise<OneTimeTokenRecord> {
    const created = await this.tokens.create(buildTokenInsert(input, new Types.ObjectId(), this.clock.now()));
    return toTokenRecord(created.toObject<TokenDoc>({ flattenMaps: true }));
  }

  /**
   * One findOneAndDelete: of two concurrent consumers, only one receives the document. The oldest
   * match goes first, as in the SQLite adapter (MB-22).
   */
  async consumeOne(filter: OneTimeTokenFilter, now: Date): Promise<OneTimeTokenRecord | null> {
    const query = liveTokenFilter(filter, now);
    if (!query) return null;
    const doc = await this.tokens
      .findOneAndDelete(query, { sort: { createdAt: 1, _id: 1 } })
      .lean<TokenDoc>()
      .exec();
    return doc ? toTokenRecord(doc) : null;
  }

  async find(filter: OneTimeTokenFilter, now: Date): Promise<OneTimeTokenRecord[]> {
    const query = liveTokenFilter(filter, now);
    if (!query) return [];
    const docs = await this.tokens.find(query).sort({ createdAt: 1, _id: 1 }).lean<TokenDoc[]>().exec();
    return docs.map(toTokenRecord);
  }

  async deleteMany(filter: OneTimeTokenFilter): Promise<number> {
    const query = tokenFilter(filter);
    if (!query) return 0;
    const result = await this.tokens.deleteMany(query).exec();
    return result.deletedCount;
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.tokens.deleteMany({ expiresAt: { $lte: now } }).exec();
    return result.deletedCount;
  }
}
