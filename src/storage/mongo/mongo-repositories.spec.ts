import { Connection, Types } from 'mongoose';
import { HEX, T0, dupError, fail, opOf, shape, useQueryRecorder, value } from '../../../test/support/mongo-query-recorder';
import { TokenCipher } from '../token-cipher';
import { MongoIdpTokenVault } from './mongo-idp-token.vault';
import { MongoIndexes } from './mongo-indexes';
import { MongoKeyValueStore } from './mongo-key-value.store';
import { MongoModerationRepository } from './mongo-moderation.repository';
import { MongoOneTimeTokenRepository } from './mongo-one-time-token.repository';
import { MongoOutboxRepository } from './mongo-outbox.repository';
import { MongoSessionRepository } from './mongo-session.repository';
import { MongoStoreLifecycle } from './mongo-store-lifecycle';
import { BanLogDoc, IdpTokenDoc, KeyValueDoc, OutboxDoc, SessionDoc, TokenDoc, ViolationDoc } from './schemas';

/**
 * Runs the repositories against real mongoose models on a connection that never connects, with
 * `Query.prototype.exec` replaced: each test sees exactly the query mongoose would send (op,
 * filter, update, options, projection) and decides what the "server" answers.
 */
const { queries, answer, modelOf } = useQueryRecorder();
const at = (ms: number) => new Date(T0.getTime() + ms);
const indexes = new MongoIndexes([]);

describe('MongoSessionRepository', () => {
  const repo = () => new MongoSessionRepository(modelOf<SessionDoc>('Session'), indexes);
  const sessionDoc = (hash: string) => ({ _id: new Types.ObjectId(HEX), user: new Types.ObjectId(HEX), refreshTokenHash: hash, expiration: at(1000) });

  it('rotates with one guarded findOneAndUpdate', async () => {
    answer(value(sessionDoc('new')));
    expect(await repo().rotate({ id: HEX, expectedTokenHash: 'old', newTokenHash: 'new', now: T0 })).toMatchObject({ tokenHash: 'new' });
    expect(shape(queries[0])).toMatchObject({
      op: 'findOneAndUpdate',
      filter: { _id: new Types.ObjectId(HEX), refreshTokenHash: 'old', expiration: { $gt: T0 } },
      update: { $set: { previousTokenHash: 'old', refreshTokenHash: 'new', rotatedAt: T0, lastUsedAt: T0 } },
      options: { returnDocument: 'after' },
    });
    expect(await repo().rotate({ id: 'no-such-session', expectedTokenHash: 'old', newTokenHash: 'n', now: T0 })).toBeNull();
    expect(queries).toHaveLength(1);
  });

  it('finds by token hash: current first, then previous, unexpired only', async () => {
    answer(value(null), value(sessionDoc('new')));
    expect(await repo().findByTokenHash('old', T0)).toMatchObject({ matched: 'previous' });
    expect(queries.map((q) => q.getFilter())).toEqual([
      { refreshTokenHash: 'old', expiration: { $gt: T0 } },
      { previousTokenHash: 'old', expiration: { $gt: T0 } },
    ]);
  });

  it('refuses to create a session for a user id that is not an ObjectId', async () => {
    await expect(repo().create({ userId: 'user-1', tokenHash: 'h', expiresAt: T0 })).rejects.toThrow(/userId/);
    expect(await repo().listByUser('user-1', T0)).toEqual([]);
    expect(await repo().deleteByUser('user-1')).toBe(0);
  });
});

describe('MongoOneTimeTokenRepository', () => {
  const repo = () => new MongoOneTimeTokenRepository(modelOf<TokenDoc>('Token'), indexes);

  it('consumes with one findOneAndDelete over every given field plus expiry', async () => {
    await repo().consumeOne({ type: 'reset', tokenHash: 'h', email: 'A@B.c' }, T0);
    expect(shape(queries[0])).toMatchObject({
      op: 'findOneAndDelete',
      filter: { type: 'reset', token: 'h', email: 'a@b.c', expiresAt: { $gt: T0 } },
      // MB-22: the oldest match first, as in SQLite.
      options: { sort: { createdAt: 1, _id: 1 } },
    });
    expect(await repo().consumeOne({ userId: 'not-an-id' }, T0)).toBeNull();
    expect(queries).toHaveLength(1);
  });
});

describe('MongoModerationRepository', () => {
  const repo = () => new MongoModerationRepository(modelOf<ViolationDoc>('GatehouseViolation'), modelOf<BanLogDoc>('GatehouseBanLog'), indexes);

  it('adds a violation with an upserting update pipeline and retries a lost insert race', async () => {
    answer(fail(dupError({ subject: 1, type: 1 })), value({ score: 4 }));
    expect(await repo().addViolation({ subject: 'ip:1', type: 'logins', score: 1, ttlMs: 1000, now: T0 })).toBe(4);
    expect(queries).toHaveLength(2);
    const q = queries[1];
    expect(opOf(q)).toBe('findOneAndUpdate');
    expect(q.getFilter()).toEqual({ subject: 'ip:1', type: 'logins' });
    expect(Array.isArray(q.getUpdate())).toBe(true);
    expect(q.getOptions()).toMatchObject({ upsert: true, returnDocument: 'after' });
    expect(q.mongooseOptions()).toMatchObject({ updatePipeline: true });
  });

  it("MB-16 keeps ban queries inside the ban namespaces of `logs`, on LibreChat's keys", async () => {
    answer(value({ acknowledged: true }), value([]), value({ deletedCount: 0 }), value({ deletedCount: 0 }));
    await repo().putBan({ subject: `user:${HEX}`, type: 'manual', reason: null, violationCount: 0, createdAt: T0, expiresAt: at(1), userId: null });
    await repo().findActiveBan([`user:${HEX}`, 'ip:10.0.0.2'], T0);
    await repo().deleteExpired(T0);
    expect(shape(queries[0])).toMatchObject({ op: 'updateOne', filter: { key: `BANS:${HEX}` }, options: { upsert: true } });
    expect(queries[0].getUpdate()).toMatchObject({ $set: { key: `BANS:${HEX}`, expiresAt: at(1) } });
    expect(shape(queries[1])).toMatchObject({
      op: 'find',
      filter: {
        key: { $in: [`BANS:${HEX}`, `bans:${HEX}`, `BANS:user:${HEX}`, 'BANS:10.0.0.2', 'bans:10.0.0.2', 'BANS:ip:10.0.0.2'] },
        $or: [{ expiresAt: { $gt: T0 } }, { expiresAt: null }],
      },
    });
    const banSweep = queries.slice(2).find((q) => q.model.modelName === 'GatehouseBanLog');
    expect(banSweep?.getFilter()).toEqual({ $or: [{ key: /^BANS:/ }, { key: /^bans:/ }], expiresAt: { $lte: T0 } });
  });

  it("MB-16 finds a ban LibreChat wrote under the bare user id and lifts it with LibreChat's cached marker", async () => {
    const expiresAt = at(60_000).getTime();
    const libreChatBan = {
      key: `BANS:${HEX}`,
      value: JSON.stringify({ value: { type: 'concurrent', violation_count: 20, duration: 60_000, expiresAt }, expires: expiresAt }),
      expiresAt: new Date(expiresAt),
    };
    answer(value([libreChatBan]));
    expect(await repo().findActiveBan(['ip:10.0.0.2', `user:${HEX}`], T0)).toMatchObject({ subject: `user:${HEX}`, type: 'concurrent', violationCount: 20 });
    answer(value({ deletedCount: 1 }), value({ deletedCount: 1 }));
    expect(await repo().liftBan(`user:${HEX}`)).toBe(true);
    expect(queries.slice(1).map(shape)).toMatchObject([
      { op: 'deleteMany', filter: { key: { $in: [`BANS:${HEX}`, `bans:${HEX}`, `BANS:user:${HEX}`] } } },
      { op: 'deleteMany', filter: { key: { $in: [`ban:${HEX}`, `ban:ban_cache:user:${HEX}`] } } },
    ]);
    answer(value([libreChatBan, { ...libreChatBan, key: `bans:${HEX}`, value: libreChatBan.value.replace('60000,"expiresAt"', '1,"expiresAt"') }]));
    const listed = await repo().listActiveBans(T0);
    expect(listed).toHaveLength(1);
    expect(queries[3].getFilter()).toEqual({
      $and: [{ $or: [{ key: /^BANS:/ }, { key: /^bans:/ }] }, { $or: [{ expiresAt: { $gt: T0 } }, { expiresAt: null }] }],
    });
  });
});

describe('MongoKeyValueStore', () => {
  const repo = () => new MongoKeyValueStore(modelOf<KeyValueDoc>('GatehouseKeyValue'), indexes);

  it('setIfAbsent: only an expired document matches; a duplicate key means "already set"', async () => {
    answer(fail(dupError({ _id: 1 })));
    expect(await repo().setIfAbsent('lock', 'v', 1000, T0)).toBe(false);
    expect(shape(queries[0])).toMatchObject({ op: 'updateOne', filter: { _id: 'lock', expiresAt: { $lte: T0 } }, options: { upsert: true } });
    answer(value({ matchedCount: 0, upsertedCount: 1 }));
    expect(await repo().setIfAbsent('lock', 'v', 1000, T0)).toBe(true);
  });

  it('increments through an upserting pipeline and reads expiry from the document', async () => {
    answer(value({ _id: 'hits', counter: 3, value: '3', expiresAt: at(1000) }));
    expect(await repo().increment('hits', 2, 1000, at(600))).toEqual({ value: 3, expiresAt: at(1000) });
    expect(queries[0].mongooseOptions()).toMatchObject({ updatePipeline: true });
    expect(queries[0].getOptions()).toMatchObject({ upsert: true, returnDocument: 'after' });
  });

  it('take is a findOneAndDelete of an unexpired entry', async () => {
    answer(value({ _id: 'k', value: 'v', expiresAt: at(1) }));
    expect(await repo().take('k', T0)).toBe('v');
    expect(shape(queries[0])).toMatchObject({ op: 'findOneAndDelete', filter: { _id: 'k', expiresAt: { $gt: T0 } } });
  });
});

describe('MongoOutboxRepository', () => {
  const repo = () => new MongoOutboxRepository(modelOf<OutboxDoc>('GatehouseOutbox'), indexes);
  const message = {
    _id: new Types.ObjectId(HEX),
    kind: 'mail',
    payload: '{}',
    status: 'pending',
    attempts: 1,
    availableAt: at(60_000),
    createdAt: T0,
    updatedAt: T0,
  };

  it('claims one message per atomic findOneAndUpdate, stopping at the limit or when none is due', async () => {
    answer(value(message), value(message), value(null));
    expect(await repo().claimDue(T0, 5, 60_000)).toHaveLength(2);
    expect(queries).toHaveLength(3);
    expect(shape(queries[0])).toMatchObject({
      op: 'findOneAndUpdate',
      filter: { status: 'pending', availableAt: { $lte: T0 } },
      update: { $set: { availableAt: at(60_000), updatedAt: T0 }, $inc: { attempts: 1 } },
      options: { sort: { availableAt: 1, _id: 1 }, returnDocument: 'after' },
    });
    queries.length = 0;
    answer(value(message), value(message), value(message));
    expect(await repo().claimDue(T0, 2, 60_000)).toHaveLength(2);
    expect(queries).toHaveLength(2);
  });
});

describe('MongoIdpTokenVault', () => {
  it('upserts ciphertext only, keyed by (userId, provider)', async () => {
    const vault = new MongoIdpTokenVault(new TokenCipher('k'.repeat(32)), modelOf<IdpTokenDoc>('GatehouseIdpToken'), indexes);
    await vault.save('u1', 'openid', { accessToken: 'secret-access', idToken: null, refreshToken: null, expiresAt: null, scope: null }, T0);
    const q = queries[0];
    expect(shape(q)).toMatchObject({ op: 'updateOne', filter: { userId: 'u1', provider: 'openid' }, options: { upsert: true } });
    expect(JSON.stringify(q.getUpdate())).not.toContain('secret-access');
  });
});

describe('MongoStoreLifecycle', () => {
  it('is kind "mongo", rejects ping without an open database, closes once', async () => {
    const close = jest.fn().mockResolvedValue(undefined);
    const lifecycle = new MongoStoreLifecycle({ db: undefined, close } as unknown as Connection);
    expect(lifecycle.kind).toBe('mongo');
    await expect(lifecycle.ping()).rejects.toThrow(/not open/);
    await Promise.all([lifecycle.close(), lifecycle.close()]);
    await lifecycle.close();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('pings through the admin database and gives up after its timeout', async () => {
    jest.useFakeTimers();
    try {
      const ping = jest.fn(() => new Promise(() => undefined));
      const lifecycle = new MongoStoreLifecycle({ db: { admin: () => ({ ping }) }, close: jest.fn() } as unknown as Connection);
      const result = lifecycle.ping();
      jest.advanceTimersByTime(2000);
      await expect(result).rejects.toThrow(/timed out/);
      expect(ping).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
