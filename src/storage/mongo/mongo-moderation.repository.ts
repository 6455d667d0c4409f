import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { BanRecord, ModerationRepository, ViolationInput } from '../ports';
import { MongoIndexes } from './mongo-indexes';
import { ANY_BAN_KEY, banCacheKeys, banReadKeys, fromBanLogDoc, toBanLogDoc } from './ban.mapping';
import { retryOnDuplicateKey } from './mongo-errors';
import { BAN_LOG_MODEL, BanLogDoc } from './schemas/ban-log.schema';
import { VIOLATION_MODEL, ViolationDoc } from './schemas/violation.schema';
import { addViolationPipeline } from './update-pipelines';

/**
 * Violation scores live in `gatehouse_violations`; bans in LibreChat's Keyv collection `logs`
 * under LibreChat's own keys (`BANS:<userId>`, `BANS:<ip>`), so a LibreChat instance on the same
 * database honours Gatehouse's bans and Gatehouse honours LibreChat's (MB-16). Only ban keys (and,
 * when a ban is lifted, LibreChat's cached marker of it) are touched: other Keyv namespaces share
 * the collection.
 */
@Injectable()
export class MongoModerationRepository extends ModerationRepository {
  constructor(
    @InjectModel(VIOLATION_MODEL) private readonly violations: Model<ViolationDoc>,
    @InjectModel(BAN_LOG_MODEL) private readonly bans: Model<BanLogDoc>,
    _indexes: MongoIndexes,
  ) {
    super();
  }

  /**
   * A single upserting findOneAndUpdate with a pipeline decides "add or restart" on the server,
   * so concurrent calls never lose an increment. Two upserts racing on a missing document: one
   * inserts, the other hits the unique (subject, type) index and is retried as an update.
   */
  async addViolation(input: ViolationInput): Promise<number> {
    const doc = await retryOnDuplicateKey(() =>
      this.violations
        .findOneAndUpdate({ subject: input.subject, type: input.type }, addViolationPipeline(input.score, input.ttlMs, input.now), {
          upsert: true,
          returnDocument: 'after',
          updatePipeline: true,
        })
        .lean<ViolationDoc>()
        .exec(),
    );
    return doc?.score ?? input.score;
  }

  async getViolationScore(subject: string, type: string, now: Date): Promise<number> {
    const doc = await this.violations
      .findOne({ subject, type, expiresAt: { $gt: now } })
      .lean<ViolationDoc>()
      .exec();
    return doc?.score ?? 0;
  }

  async clearViolations(subject: string, type?: string): Promise<number> {
    const filter = type === undefined ? { subject } : { subject, type };
    const result = await this.violations.deleteMany(filter).exec();
    return result.deletedCount;
  }

  async putBan(ban: BanRecord): Promise<void> {
    const doc = toBanLogDoc(ban);
    await retryOnDuplicateKey(() => this.bans.updateOne({ key: doc.key }, { $set: doc }, { upsert: true }).exec());
  }

  async findActiveBan(subjects: string[], now: Date): Promise<BanRecord | null> {
    if (subjects.length === 0) return null;
    const keys = [...new Set(subjects.flatMap(banReadKeys))];
    const docs = await this.bans
      .find({ key: { $in: keys }, ...unexpiredDoc(now) })
      .lean<BanLogDoc[]>()
      .exec();
    const active = activeBans(docs, now);
    // "First" follows the caller's order of subjects, not the database's.
    for (const subject of subjects) {
      const ban = active.find((b) => b.subject === subject);
      if (ban) return ban;
    }
    return null;
  }

  async listActiveBans(now: Date): Promise<BanRecord[]> {
    const docs = await this.bans
      .find({ $and: [ANY_BAN_KEY, unexpiredDoc(now)] })
      .lean<BanLogDoc[]>()
      .exec();
    // One entry per subject (several key forms, or duplicate keys in `logs`): the longest ban.
    const bySubject = new Map<string, BanRecord>();
    for (const ban of activeBans(docs, now)) {
      const seen = bySubject.get(ban.subject);
      if (!seen || ban.expiresAt > seen.expiresAt) bySubject.set(ban.subject, ban);
    }
    return [...bySubject.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  /**
   * Every key form of the ban, plus LibreChat's cached marker: otherwise LibreChat's checkBan would
   * keep refusing the subject until the cached ban's own expiry.
   */
  async liftBan(subject: string): Promise<boolean> {
    const bans = await this.bans.deleteMany({ key: { $in: banReadKeys(subject) } }).exec();
    const cached = banCacheKeys(subject);
    if (cached.length > 0) await this.bans.deleteMany({ key: { $in: cached } }).exec();
    return bans.deletedCount > 0;
  }

  async deleteExpired(now: Date): Promise<number> {
    const [violations, bans] = await Promise.all([
      this.violations.deleteMany({ expiresAt: { $lte: now } }).exec(),
      this.bans.deleteMany({ ...ANY_BAN_KEY, expiresAt: { $lte: now } }).exec(),
    ]);
    return violations.deletedCount + bans.deletedCount;
  }
}

/** Keyv writes `expiresAt: null` for entries without a TTL; the ban's own expiry then decides. */
function unexpiredDoc(now: Date) {
  return { $or: [{ expiresAt: { $gt: now } }, { expiresAt: null }] };
}

/** LibreChat checks the ban's own `expiresAt`, which may end before the Keyv entry does. */
function activeBans(docs: BanLogDoc[], now: Date): BanRecord[] {
  return docs.map(fromBanLogDoc).filter((ban): ban is BanRecord => ban !== null && ban.expiresAt > now);
}
