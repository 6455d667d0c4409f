import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { KeyValueStore, ModerationRepository, StorageOptions, UserRepository } from '../../src/storage';
import { RedisConnection } from '../../src/storage/redis';
import { RedisKeyValueStore } from '../../src/storage/redis/redis-key-value.store';
import { RedisModerationRepository } from '../../src/storage/redis/redis-moderation.repository';
import { SqliteKeyValueStore } from '../../src/storage/sqlite/sqlite-key-value.store';
import { SqliteUserRepository } from '../../src/storage/sqlite/sqlite-user.repository';
import { acquireRedis, redisSource, type AcquiredRedis } from '../support/redis/redis-target';
import { HOUR, T0, at, portsOf } from './cases/context';
import { kvCases } from './cases/kv.cases';
import { moderationCases } from './cases/moderation.cases';
import { vaultAndLifecycleCases } from './cases/vault-lifecycle.cases';
import { describeWithFreshStore, openStore } from './storage-conformance';

const source = redisSource();

if (source.kind === 'none') {
  const SKIP_REASON = `Redis-backed stores — skipped: ${source.reason}`;
  console.warn(SKIP_REASON);
  describe.skip(SKIP_REASON, () => {
    it('runs the key-value and moderation conformance cases against Redis', () => {});
  });
} else {
  let redis: AcquiredRedis;
  const tempDirs: string[] = [];

  beforeAll(async () => {
    redis = await acquireRedis(source);
  });
  afterAll(async () => {
    await redis?.release();
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** SQLite as the primary store, Redis for the shared ports, a key prefix of its own. */
  const options = (overrides: Partial<StorageOptions> = {}): StorageOptions => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-redis-store-'));
    tempDirs.push(dataDir);
    return {
      kind: 'sqlite',
      dataDir,
      mongoUri: null,
      mongoServerSelectionTimeoutMs: 2000,
      redisUri: redis.uri,
      redisKeyPrefix: redis.freshPrefix(),
      credsKey: 'a'.repeat(64),
      ...overrides,
    };
  };

  describeWithFreshStore(
    'Redis-backed stores conformance (SQLite primary)',
    () => options(),
    (ctx) => {
      describe('moderation', () => moderationCases(ctx));
      describe('key-value store', () => kvCases(ctx));
      describe('lifecycle and restart', () => vaultAndLifecycleCases(ctx));
    },
  );

  describe('Redis-backed stores specifics', () => {
    let raw: Redis;
    beforeAll(() => {
      raw = new Redis(redis.uri, { maxRetriesPerRequest: 1 });
    });
    afterAll(() => raw?.disconnect());

    it('binds only the key-value and moderation ports to Redis', async () => {
      const withRedis = await openStore(options());
      const without = await openStore(options({ redisUri: null }));
      try {
        expect(withRedis.get(KeyValueStore)).toBeInstanceOf(RedisKeyValueStore);
        expect(withRedis.get(ModerationRepository)).toBeInstanceOf(RedisModerationRepository);
        expect(withRedis.get(UserRepository)).toBeInstanceOf(SqliteUserRepository);
        expect(without.get(KeyValueStore)).toBeInstanceOf(SqliteKeyValueStore);
        expect(() => without.get(RedisConnection, { strict: false })).toThrow();
      } finally {
        await withRedis.close();
        await without.close();
      }
    });

    it('keeps every key under the prefix, with a real TTL only for garbage collection', async () => {
      const opts = options();
      const moduleRef = await openStore(opts);
      try {
        const { kv, moderation } = portsOf(moduleRef);
        // Logical times far from Redis' clock: liveness follows `now`, the PX TTL stays bounded.
        await kv.set('k', 'v', 1000, T0);
        await kv.increment('n', 1, HOUR, T0);
        await moderation.addViolation({ subject: 'ip:2001:db8::1', type: 'logins', score: 2, ttlMs: HOUR, now: T0 });
        await moderation.putBan({ subject: 'user:p', type: 'manual', reason: null, violationCount: 0, createdAt: T0, expiresAt: at(HOUR), userId: null });
        const keys = (await raw.keys(`${opts.redisKeyPrefix}*`)).sort();
        expect(keys).toEqual(['ban:user:p', 'kv:k', 'kv:n', 'violations:ip:2001:db8::1'].map((k) => `${opts.redisKeyPrefix}${k}`));
        const kvTtl = await raw.pttl(`${opts.redisKeyPrefix}kv:k`);
        expect(kvTtl).toBeGreaterThan(1000);
        expect(kvTtl).toBeLessThanOrEqual(1000 + 60_000);
        expect(await raw.pttl(`${opts.redisKeyPrefix}violations:ip:2001:db8::1`)).toBeGreaterThan(HOUR);
        expect(await raw.pttl(`${opts.redisKeyPrefix}ban:user:p`)).toBeGreaterThan(0);
        expect(await moderation.getViolationScore('ip:2001:db8::1', 'logins', at(HOUR - 1))).toBe(2);
      } finally {
        await moduleRef.close();
      }
    });

    it('refuses to increment a value that is not a number, as the SQLite adapter does', async () => {
      const moduleRef = await openStore(options());
      try {
        const kv = moduleRef.get(KeyValueStore);
        await kv.set('text', 'abc', 1000, T0);
        await expect(kv.increment('text', 1, 1000, T0)).rejects.toThrow(TypeError);
        await kv.set('numeric', '41', 1000, T0);
        expect(await kv.increment('numeric', 1, 5000, at(10))).toEqual({ value: 42, expiresAt: at(1000) });
      } finally {
        await moduleRef.close();
      }
    });

    it('two app instances on one Redis share counters, scores and bans', async () => {
      const shared = options();
      const a = await openStore(shared);
      // A second instance: its own SQLite file and its own Redis connection, the same prefix.
      const b = await openStore({ ...options(), redisKeyPrefix: shared.redisKeyPrefix });
      try {
        const [kvA, kvB] = [a.get(KeyValueStore), b.get(KeyValueStore)];
        const [modA, modB] = [a.get(ModerationRepository), b.get(ModerationRepository)];
        expect(a.get(RedisConnection, { strict: false })).not.toBe(b.get(RedisConnection, { strict: false }));

        await Promise.all([
          ...Array.from({ length: 5 }, () => kvA.increment('login:ip:198.51.100.7', 1, 60_000, T0)),
          ...Array.from({ length: 5 }, () => kvB.increment('login:ip:198.51.100.7', 1, 60_000, T0)),
        ]);
        expect(await kvA.get('login:ip:198.51.100.7', T0)).toBe('10');
        expect(await kvB.increment('login:ip:198.51.100.7', 0, 60_000, at(1))).toEqual({ value: 10, expiresAt: at(60_000) });

        await modA.addViolation({ subject: 'user:u', type: 'logins', score: 3, ttlMs: HOUR, now: T0 });
        expect(await modB.addViolation({ subject: 'user:u', type: 'logins', score: 2, ttlMs: HOUR, now: T0 })).toBe(5);

        await modA.putBan({
          subject: 'ip:203.0.113.5',
          type: 'logins',
          reason: 'too many',
          violationCount: 5,
          createdAt: T0,
          expiresAt: at(HOUR),
          userId: null,
        });
        expect(await modB.findActiveBan(['user:u', 'ip:203.0.113.5'], T0)).toMatchObject({ subject: 'ip:203.0.113.5', reason: 'too many' });
        expect((await modB.listActiveBans(T0)).map((ban) => ban.subject)).toEqual(['ip:203.0.113.5']);
        expect(await modB.liftBan('ip:203.0.113.5')).toBe(true);
        expect(await modA.findActiveBan(['ip:203.0.113.5'], T0)).toBeNull();
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('keeps deployments with different prefixes apart', async () => {
      const a = await openStore(options());
      const b = await openStore(options());
      try {
        await a.get(KeyValueStore).increment('hits', 7, 60_000, T0);
        await a
          .get(ModerationRepository)
          .putBan({ subject: 'user:q', type: 'manual', reason: null, violationCount: 0, createdAt: T0, expiresAt: at(HOUR), userId: null });
        expect(await b.get(KeyValueStore).get('hits', T0)).toBeNull();
        expect(await b.get(ModerationRepository).listActiveBans(T0)).toEqual([]);
        expect(await b.get(KeyValueStore).deleteExpired(at(HOUR))).toBe(0);
        expect(await a.get(KeyValueStore).deleteExpired(at(HOUR))).toBe(1);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}
