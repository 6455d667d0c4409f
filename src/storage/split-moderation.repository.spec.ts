import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FactoryProvider } from '@nestjs/common';
import { HEX, T0, opOf, useQueryRecorder, value } from '../../test/support/mongo-query-recorder';
import { MongoIndexes } from './mongo/mongo-indexes';
import { MongoModerationRepository } from './mongo/mongo-moderation.repository';
import { BanLogDoc, ViolationDoc } from './mongo/schemas';
import { ModerationRepository } from './ports';
import { RedisModerationRepository } from './redis/redis-moderation.repository';
import { SplitModerationRepository } from './split-moderation.repository';
import { SqliteDatabase } from './sqlite/sqlite-database';
import { SqliteModerationRepository } from './sqlite/sqlite-moderation.repository';
import { StorageModule } from './storage.module';

const { queries, answer, modelOf } = useQueryRecorder();

describe('SplitModerationRepository (MongoDB primary with USE_REDIS)', () => {
  let dir: string;
  let sqlite: SqliteDatabase;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-split-'));
    sqlite = new SqliteDatabase({ file: path.join(dir, 'scores.db') });
  });
  afterEach(() => {
    sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('MB-17 StorageModule binds moderation to Redis scores plus the Mongo `logs` ban store', () => {
    const options = {
      kind: 'mongo' as const,
      dataDir: dir,
      mongoUri: 'mongodb://127.0.0.1:1/x',
      mongoServerSelectionTimeoutMs: 500,
      redisUri: 'redis://127.0.0.1:1',
      redisKeyPrefix: 'g:',
      credsKey: 'a'.repeat(64),
    };
    const dynamic = StorageModule.forRoot(options);
    const binding = (dynamic.providers ?? []).find((p) => typeof p !== 'function' && p.provide === ModerationRepository) as FactoryProvider;
    expect(binding.inject).toEqual([RedisModerationRepository, MongoModerationRepository]);
    expect(dynamic.exports).toContain(ModerationRepository);
    // SQLite primary with Redis: Redis holds everything, no split.
    const sqliteDynamic = StorageModule.forRoot({ ...options, kind: 'sqlite', mongoUri: null });
    expect((sqliteDynamic.providers ?? []).some((p) => typeof p !== 'function' && p.provide === ModerationRepository)).toBe(false);
  });

  it("MB-17 scores go to the scores store, bans to LibreChat's `logs`", async () => {
    const scores = new SqliteModerationRepository(sqlite);
    const bans = new MongoModerationRepository(modelOf<ViolationDoc>('GatehouseViolation'), modelOf<BanLogDoc>('GatehouseBanLog'), new MongoIndexes([]));
    const split = new SplitModerationRepository(scores, bans);
    expect(await split.addViolation({ subject: `user:${HEX}`, type: 'logins', score: 3, ttlMs: 60_000, now: T0 })).toBe(3);
    expect(await split.getViolationScore(`user:${HEX}`, 'logins', T0)).toBe(3);
    expect(queries).toHaveLength(0);
    await split.putBan({
      subject: `user:${HEX}`,
      type: 'logins',
      reason: null,
      violationCount: 3,
      createdAt: T0,
      expiresAt: new Date(T0.getTime() + 1000),
      userId: null,
    });
    expect(queries.map((q) => [q.model.collection.collectionName, opOf(q), q.getFilter()])).toEqual([['logs', 'updateOne', { key: `BANS:${HEX}` }]]);
    answer(value([]));
    expect(await split.findActiveBan([`user:${HEX}`], T0)).toBeNull();
    expect(await scores.findActiveBan([`user:${HEX}`], T0)).toBeNull();
    expect(await split.clearViolations(`user:${HEX}`)).toBe(1);
    expect(queries.map((q) => q.model.collection.collectionName)).toEqual(['logs', 'logs']);
  });
});
