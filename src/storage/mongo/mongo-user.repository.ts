import { Clock, SystemClock } from '../../common/clock';
import { Injectable, Optional } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import {
  CreateUserOptions,
  DuplicateUserError,
  ListUsersQuery,
  NewUser,
  ProviderIdField,
  UserPage,
  UserPatch,
  UserRecord,
  UserRepository,
  UserSearchQuery,
  decodeUserCursor,
  encodeUserCursor,
} from '../ports';
import { isDuplicateKeyError } from './mongo-errors';
import { MongoIndexes } from './mongo-indexes';
import { toObjectId } from './object-id';
import { FIRST_USER_MARKER, META_MODEL, MetaDoc } from './schemas/meta.schema';
import { USER_MODEL, UserDoc } from './schemas/user.schema';
import {
  DEFAULT_ROLE,
  buildUserInsert,
  buildUserUpdate,
  canonicalEmail,
  duplicateUserField,
  providerIdFilter,
  toUserRecord,
  userSearchFilter,
} from './user.mapping';

/** `password` is `select: false` in LibreChat's schema; the port returns the hash. */
const WITH_PASSWORD = '+password';

@Injectable()
export class MongoUserRepository extends UserRepository {
  /** Set once the marker is known to exist; it is never removed once an account holds it. */
  private markerSeen = false;

  constructor(
    @InjectModel(USER_MODEL) private readonly users: Model<UserDoc>,
    @InjectModel(META_MODEL) private readonly meta: Model<MetaDoc>,
    _indexes: MongoIndexes,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {
    super();
  }

  async create(input: NewUser, options?: CreateUserOptions): Promise<UserRecord> {
    const id = new Types.ObjectId();
    const firstUserRole = options?.firstUserRole;
    const isFirst = firstUserRole !== undefined && (await this.claimFirstUser(id));
    const role = isFirst && firstUserRole !== undefined ? firstUserRole : (input.role ?? DEFAULT_ROLE);
    try {
      const created = await this.users.create(buildUserInsert(input, role, id));
      if (!isFirst) await this.markHadAccount(id);
      return toUserRecord(created.toObject<UserDoc>());
    } catch (err) {
      // Hand the first-user role back so the next registration can still receive it; a failure
      // here must not hide the insert's own error.
      if (isFirst)
        await this.meta
          .deleteOne({ _id: FIRST_USER_MARKER, userId: id })
          .exec()
          .catch(() => undefined);
      throw translateDuplicate(err);
    }
  }

  async findById(id: string): Promise<UserRecord | null> {
    const _id = toObjectId(id);
    if (!_id) return null;
    const doc = await this.users.findOne({ _id }).select(WITH_PASSWORD).lean<UserDoc>().exec();
    return doc ? toUserRecord(doc) : null;
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const doc = await this.users
      .findOne({ email: canonicalEmail(email) })
      .select(WITH_PASSWORD)
      .lean<UserDoc>()
      .exec();
    return doc ? toUserRecord(doc) : null;
  }

  async findByProviderId(field: ProviderIdField, value: string, issuer?: string | null): Promise<UserRecord | null> {
    const doc = await this.users
      .findOne(providerIdFilter(field, value, issuer))
      .select(WITH_PASSWORD)
      .lean<UserDoc>()
      .exec();
    return doc ? toUserRecord(doc) : null;
  }

  async update(id: string, patch: UserPatch): Promise<UserRecord | null> {
    const _id = toObjectId(id);
    if (!_id) return null;
    const update = buildUserUpdate(patch);
    if (!update) return this.findById(id);
    try {
      const doc = await this.users.findOneAndUpdate({ _id }, update, { returnDocument: 'after' }).select(WITH_PASSWORD).lean<UserDoc>().exec();
      return doc ? toUserRecord(doc) : null;
    } catch (err) {
      throw translateDuplicate(err);
    }
  }

  async delete(id: string): Promise<boolean> {
    const _id = toObjectId(id);
    if (!_id) return false;
    const result = await this.users.deleteOne({ _id }).exec();
    return result.deletedCount > 0;
  }

  async list(query: ListUsersQuery = {}): Promise<UserRecord[]> {
    // MongoDB reads limit(0) as "no limit"; the port (and SQLite) mean none (MB-22).
    if (query.limit === 0) return [];
    // _id breaks ties between users created in the same millisecond.
    let find = this.users.find({}).select(WITH_PASSWORD).sort({ createdAt: 1, _id: 1 });
    if (query.offset) find = find.skip(query.offset);
    if (query.limit !== undefined) find = find.limit(query.limit);
    const docs = await find.lean<UserDoc[]>().exec();
    return docs.map(toUserRecord);
  }

  async search(query: UserSearchQuery): Promise<UserPage> {
    const after = decodeUserCursor(query.after);
    // A cursor id that is not an ObjectId cannot come from this store: start over rather than fail.
    const position = after && Types.ObjectId.isValid(after.id) ? after : null;
    const docs = await this.users
      .find(userSearchFilter(query.text, position))
      .sort({ createdAt: 1, _id: 1 })
      .limit(query.limit + 1)
      .lean<UserDoc[]>()
      .exec();
    const users = docs.slice(0, query.limit).map(toUserRecord);
    return { users, next: docs.length > query.limit ? encodeUserCursor(users[users.length - 1]) : null };
  }

  count(): Promise<number> {
    return this.users.countDocuments({}).exec();
  }

  /** Explicit, at the date itself: LibreChat's TTL index only fires 7 days after `expiresAt`. */
  async deleteExpired(now: Date): Promise<number> {
    const result = await this.users.deleteMany({ expiresAt: { $lte: now } }).exec();
    return result.deletedCount;
  }

  /**
   * Every account, however it was created (registration, provider sign-in, CLI), leaves the
   * marker behind, so a store that has ever held an account never elects another first user,
   * even after every account is deleted (PW-12), and a database LibreChat filled gets it too.
   */
  private async markHadAccount(userId: Types.ObjectId): Promise<void> {
    if (this.markerSeen) return;
    await this.meta.updateOne({ _id: FIRST_USER_MARKER }, { $setOnInsert: { userId, at: this.clock.now() } }, { upsert: true }).exec();
    this.markerSeen = true;
  }

  /**
   * Race-safe "first user": counting alone lets two simultaneous registrations both see zero.
   * The marker's `_id` is unique, so exactly one insert succeeds; the others get a duplicate key.
   * The marker stays once a user holds the role, so emptying the collection later does not elect
   * another first user.
   */
  private async claimFirstUser(userId: Types.ObjectId): Promise<boolean> {
    if (this.markerSeen || (await this.users.countDocuments({}).exec()) > 0) return false;
    try {
      await this.meta.create({ _id: FIRST_USER_MARKER, userId, at: this.clock.now() });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }
}

function translateDuplicate(err: unknown): unknown {
  return isDuplicateKeyError(err) ? new DuplicateUserError(duplicateUserField(err)) : err;
}
