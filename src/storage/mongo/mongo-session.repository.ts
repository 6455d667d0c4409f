import { Clock, SystemClock } from '../../common/clock';
import { Injectable, Optional } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { NewRefreshSession, RefreshSessionRecord, RotateSessionInput, SessionMatch, SessionRepository } from '../ports';
import { MongoIndexes } from './mongo-indexes';
import { requireObjectId, toObjectId } from './object-id';
import { SESSION_MODEL, SessionDoc } from './schemas/session.schema';
import { buildSessionInsert, rotateQuery, toSessionRecord } from './session.mapping';

@Injectable()
export class MongoSessionRepository extends SessionRepository {
  constructor(
    @InjectModel(SESSION_MODEL) private readonly sessions: Model<SessionDoc>,
    _indexes: MongoIndexes,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {
    super();
  }

  async create(input: NewRefreshSession): Promise<RefreshSessionRecord> {
    // `user` is an ObjectId ref in LibreChat's schema, so a non-ObjectId user id is a caller bug.
    const doc = buildSessionInsert(input, new Types.ObjectId(), requireObjectId(input.userId, 'userId'), this.clock.now());
    const created = await this.sessions.create(doc);
    return toSessionRecord(created.toObject<SessionDoc>());
  }

  async findById(id: string): Promise<RefreshSessionRecord | null> {
    const _id = toObjectId(id);
    if (!_id) return null;
    const doc = await this.sessions.findOne({ _id }).lean<SessionDoc>().exec();
    return doc ? toSessionRecord(doc) : null;
  }

  /** Current hash first: a token that was just rotated away must report `previous`, not `current`. */
  async findByTokenHash(tokenHash: string, now: Date): Promise<SessionMatch | null> {
    const current = await this.sessions
      .findOne({ refreshTokenHash: tokenHash, expiration: { $gt: now } })
      .lean<SessionDoc>()
      .exec();
    if (current) return { session: toSessionRecord(current), matched: 'current' };
    const previous = await this.sessions
      .findOne({ previousTokenHash: tokenHash, expiration: { $gt: now } })
      .lean<SessionDoc>()
      .exec();
    return previous ? { session: toSessionRecord(previous), matched: 'previous' } : null;
  }

  async rotate(input: RotateSessionInput): Promise<RefreshSessionRecord | null> {
    const _id = toObjectId(input.id);
    if (!_id) return null;
    const { filter, update } = rotateQuery(input, _id);
    const doc = await this.sessions.findOneAndUpdate(filter, update, { returnDocument: 'after' }).lean<SessionDoc>().exec();
    return doc ? toSessionRecord(doc) : null;
  }

  async touch(id: string, now: Date): Promise<void> {
    const _id = toObjectId(id);
    if (!_id) return;
    await this.sessions.updateOne({ _id }, { $set: { lastUsedAt: now } }).exec();
  }

  async listByUser(userId: string, now: Date): Promise<RefreshSessionRecord[]> {
    const user = toObjectId(userId);
    if (!user) return [];
    const docs = await this.sessions
      .find({ user, expiration: { $gt: now } })
      .sort({ _id: 1 })
      .lean<SessionDoc[]>()
      .exec();
    return docs.map(toSessionRecord);
  }

  async delete(id: string): Promise<boolean> {
    const _id = toObjectId(id);
    if (!_id) return false;
    const result = await this.sessions.deleteOne({ _id }).exec();
    return result.deletedCount > 0;
  }

  async deleteByUser(userId: string): Promise<number> {
    const user = toObjectId(userId);
    if (!user) return 0;
    const result = await this.sessions.deleteMany({ user }).exec();
    return result.deletedCount;
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.sessions.deleteMany({ expiration: { $lte: now } }).exec();
    return result.deletedCount;
  }
}
