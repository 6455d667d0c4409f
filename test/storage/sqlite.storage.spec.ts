import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { DuplicateUserError, IdpTokenVault, StorageOptions, StoreLifecycle, UserRepository } from '../../src/storage';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations';
import { migrate } from '../../src/storage/sqlite/migrator';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database';
import { SqliteStorageModule } from '../../src/storage/sqlite/sqlite-storage.module';
import { describeStorageConformance, openStore } from './storage-conformance';

const tempDirs: string[] = [];

function freshDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-store-'));
  tempDirs.push(dir);
  return dir;
}

function sqliteOptions(dataDir = freshDir()): StorageOptions {
  return {
    kind: 'sqlite',
    dataDir,
    mongoUri: null,
    mongoServerSelectionTimeoutMs: 2000,
    redisUri: null,
    redisKeyPrefix: 'gatehouse:',
    credsKey: 'a'.repeat(64),
  };
}

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describeStorageConformance('SQLite adapter conformance', () => sqliteOptions());

describe('SQLite adapter specifics', () => {
  it('creates the data directory and the database file at fileIn(dataDir)', async () => {
    const dataDir = path.join(freshDir(), 'nested', 'data');
    const moduleRef = await openStore(sqliteOptions(dataDir));
    try {
      expect(SqliteStorageModule.fileIn(dataDir)).toBe(path.join(dataDir, 'gatehouse.db'));
      expect(fs.existsSync(SqliteStorageModule.fileIn(dataDir))).toBe(true);
      expect(moduleRef.get(StoreLifecycle).kind).toBe('sqlite');
    } finally {
      await moduleRef.close();
    }
  });

  it('opens the connection in WAL mode with the expected pragmas', async () => {
    const dataDir = freshDir();
    const moduleRef = await openStore(sqliteOptions(dataDir));
    try {
      const { db } = moduleRef.get(SqliteDatabase, { strict: false });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL by default (RL-17)
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      await moduleRef.close();
    }
    // WAL is a property of the file, so it is still set when opened from outside.
    const raw = new Database(SqliteStorageModule.fileIn(dataDir), { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('closes the connection exactly once, whoever asks first', async () => {
    const viaModule = await openStore(sqliteOptions());
    const first = viaModule.get(SqliteDatabase, { strict: false });
    const firstClose = jest.spyOn(first.db, 'close');
    await viaModule.close();
    expect(first.db.open).toBe(false);
    expect(firstClose).toHaveBeenCalledTimes(1);

    const viaPort = await openStore(sqliteOptions());
    const second = viaPort.get(SqliteDatabase, { strict: false });
    const secondClose = jest.spyOn(second.db, 'close');
    await viaPort.get(StoreLifecycle).close();
    await viaPort.get(StoreLifecycle).close();
    await viaPort.close();
    expect(second.db.open).toBe(false);
    expect(secondClose).toHaveBeenCalledTimes(1);
  });

  it('shares data and unique constraints between two connections to one file', async () => {
    const options = sqliteOptions();
    const a = await openStore(options);
    const b = await openStore(options);
    try {
      const created = await a.get(UserRepository).create({ email: 'shared@example.com' }, { firstUserRole: 'ADMIN' });
      expect(created.role).toBe('ADMIN');
      expect((await b.get(UserRepository).findByEmail('SHARED@example.com'))?.id).toBe(created.id);
      await expect(b.get(UserRepository).create({ email: 'Shared@Example.com' })).rejects.toBeInstanceOf(DuplicateUserError);
      expect((await b.get(UserRepository).create({ email: 'second@example.com' }, { firstUserRole: 'ADMIN' })).role).toBe('USER');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('applies each migration once, however often the store is opened', async () => {
    const options = sqliteOptions();
    const first = await openStore(options);
    const user = await first.get(UserRepository).create({ email: 'migrate@example.com' });
    await first.close();
    for (let i = 0; i < 2; i++) {
      const again = await openStore(options);
      expect((await again.get(UserRepository).findById(user.id))?.email).toBe('migrate@example.com');
      await again.close();
    }
    const raw = new Database(SqliteStorageModule.fileIn(options.dataDir), { readonly: true });
    try {
      const versions = raw.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
      expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      raw.close();
    }
  });

  it('PW-12 migration 2 marks a database that already holds accounts, so emptying it later elects no ADMIN', () => {
    const db = new Database(':memory:');
    try {
      migrate(
        db,
        MIGRATIONS.filter((m) => m.version === 1),
        () => new Date(),
      );
      db.prepare("INSERT INTO users (id, email, provider, role, created_at, updated_at) VALUES ('a', 'old@example.com', 'local', 'ADMIN', 0, 0)").run();
      migrate(db, MIGRATIONS, () => new Date());
      expect(db.prepare("SELECT count(*) FROM meta WHERE key = 'has-had-account'").pluck().get()).toBe(1);
      const fresh = new Database(':memory:');
      migrate(fresh, MIGRATIONS, () => new Date());
      expect(fresh.prepare('SELECT count(*) FROM meta').pluck().get()).toBe(0);
      fresh.close();
    } finally {
      db.close();
    }
  });

  it('stores IdP tokens only as ciphertext', async () => {
    const options = sqliteOptions();
    const moduleRef = await openStore(options);
    const secret = 'plain-refresh-token-that-must-not-leak';
    try {
      await moduleRef.get(IdpTokenVault).save(
        '333333333333333333333333',
        'openid',
        {
          accessToken: 'plain-access-token-that-must-not-leak',
          idToken: null,
          refreshToken: secret,
          expiresAt: null,
          scope: 'openid',
        },
        new Date(),
      );
    } finally {
      await moduleRef.close();
    }
    const raw = new Database(SqliteStorageModule.fileIn(options.dataDir), { readonly: true });
    try {
      const rows = raw.prepare('SELECT sealed FROM idp_tokens').pluck().all() as string[];
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatch(/^v1\./);
      expect(rows[0]).not.toContain(secret);
      expect(rows[0]).not.toContain('plain-access-token');
      expect(rows[0]).not.toContain(Buffer.from(secret).toString('base64url').slice(0, 16));
    } finally {
      raw.close();
    }
  });

  it('does not open tokens sealed under another credentials key', async () => {
    const options = sqliteOptions();
    const first = await openStore(options);
    await first.get(IdpTokenVault).save(
      '444444444444444444444444',
      'openid',
      {
        accessToken: 'a',
        idToken: null,
        refreshToken: null,
        expiresAt: null,
        scope: null,
      },
      new Date(),
    );
    await first.close();
    const rekeyed = await openStore({ ...options, credsKey: 'b'.repeat(64) });
    try {
      expect(await rekeyed.get(IdpTokenVault).load('444444444444444444444444', 'openid')).toBeNull();
    } finally {
      await rekeyed.close();
    }
  });
});
