import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KeyValueStore, StorageOptions, StoreCorruptError, StoreLifecycle, UserRepository, isStoreUnavailable } from '../../src/storage';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database';
import { SqliteStorageModule } from '../../src/storage/sqlite/sqlite-storage.module';
import { corruptTableRootPage } from '../support/sqlite/corrupt-page';
import { openStore } from './storage-conformance';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function options(extra: Partial<StorageOptions> = {}): StorageOptions {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-durable-'));
  dirs.push(dataDir);
  return {
    kind: 'sqlite',
    dataDir,
    mongoUri: null,
    mongoServerSelectionTimeoutMs: 2000,
    redisUri: null,
    redisKeyPrefix: 'gatehouse:',
    credsKey: 'a'.repeat(64),
    ...extra,
  };
}

/** A store with a few accounts, closed, then one page of its users table overwritten. */
async function damagedStore(): Promise<{ opts: StorageOptions; file: string }> {
  const opts = options();
  const first = await openStore(opts);
  for (let i = 0; i < 5; i++) await first.get(UserRepository).create({ email: `u${i}@example.com` });
  await first.close();
  const file = SqliteStorageModule.fileIn(opts.dataDir);
  corruptTableRootPage(file, 'users');
  return { opts, file };
}

describe('SQLite durability and damage', () => {
  it('RL-17 commits are synced to disk (synchronous=FULL) unless SQLITE_SYNCHRONOUS=normal opts out', async () => {
    const durable = await openStore(options());
    const relaxed = await openStore(options({ sqliteSynchronous: 'normal' }));
    try {
      expect(durable.get(SqliteDatabase, { strict: false }).db.pragma('synchronous', { simple: true })).toBe(2);
      expect(relaxed.get(SqliteDatabase, { strict: false }).db.pragma('synchronous', { simple: true })).toBe(1);
    } finally {
      await durable.close();
      await relaxed.close();
    }
  });

  it('RL-17 counters commit without an fsync of their own; every other write, and the level after a counter, stay FULL', async () => {
    const durable = await openStore(options());
    const relaxed = await openStore(options({ sqliteSynchronous: 'normal' }));
    try {
      const sqlite = durable.get(SqliteDatabase, { strict: false });
      const level = () => sqlite.db.pragma('synchronous', { simple: true });
      expect(sqlite.unsynced(level)).toBe(1);
      expect(level()).toBe(2);
      expect(() =>
        sqlite.unsynced(() => {
          throw new Error('write failed');
        }),
      ).toThrow('write failed');
      expect(level()).toBe(2);

      const unsynced = jest.spyOn(sqlite, 'unsynced');
      const kv = durable.get(KeyValueStore);
      await expect(kv.increment('rl:login:203.0.113.9', 1, 60_000, new Date())).resolves.toMatchObject({ value: 1 });
      await expect(kv.increment('rl:login:203.0.113.9', 1, 60_000, new Date())).resolves.toMatchObject({ value: 2 });
      expect(unsynced).toHaveBeenCalledTimes(2);
      await kv.set('single-use', 'v', 60_000, new Date());
      await durable.get(UserRepository).create({ email: 'kept@example.com' });
      expect(unsynced).toHaveBeenCalledTimes(2);
      expect(level()).toBe(2);

      // Opted out: nothing to relax, nothing to restore.
      const normal = relaxed.get(SqliteDatabase, { strict: false });
      expect(normal.unsynced(() => normal.db.pragma('synchronous', { simple: true }))).toBe(1);
      expect(normal.db.pragma('synchronous', { simple: true })).toBe(1);
    } finally {
      await durable.close();
      await relaxed.close();
    }
  });

  it('RL-16 the boot check finds an overwritten users page: ping fails as corrupt, errors name the file', async () => {
    const { opts, file } = await damagedStore();
    const store = await openStore(opts);
    try {
      const ping = store.get(StoreLifecycle).ping();
      await expect(ping).rejects.toBeInstanceOf(StoreCorruptError);
      await expect(store.get(StoreLifecycle).ping()).rejects.toThrow(file);
      // Reading the damaged table fails with the file named (a repeat may be served from cache).
      const error = await store
        .get(UserRepository)
        .findByEmail('u1@example.com')
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toMatchObject({ code: expect.stringMatching(/^SQLITE_(CORRUPT|NOTADB)/), message: expect.stringContaining(file) });
    } finally {
      await store.close();
    }
  });

  it('RL-16 corruption first met at run time turns the ping to corrupt and answers as unavailable', async () => {
    const { opts, file } = await damagedStore();
    // The boot check off: the damage is found by the first request that reads the page.
    const store = await openStore({ ...opts, sqliteBootCheckMaxBytes: 0 });
    try {
      await expect(store.get(StoreLifecycle).ping()).resolves.toBeUndefined();
      const error = await store
        .get(UserRepository)
        .findByEmail('u2@example.com')
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toMatchObject({ code: expect.stringMatching(/^SQLITE_CORRUPT/), message: expect.stringContaining(file) });
      expect(isStoreUnavailable(error)).toBe(true);
      await expect(store.get(StoreLifecycle).ping()).rejects.toBeInstanceOf(StoreCorruptError);
    } finally {
      await store.close();
    }
  });

  it('RL-16 an intact file passes the boot check, and files above the size limit skip it', async () => {
    const opts = options();
    await (await openStore(opts)).close();
    const again = await openStore({ ...opts, sqliteBootCheckMaxBytes: 1 });
    try {
      await expect(again.get(StoreLifecycle).ping()).resolves.toBeUndefined();
    } finally {
      await again.close();
    }
  });
});
