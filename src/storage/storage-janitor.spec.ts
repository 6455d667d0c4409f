import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import { StorageModule } from './storage.module';
import { UserRepository } from './ports';
import { StorageJanitor } from './storage-janitor';

const T0 = new Date('2031-03-04T05:06:07.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('StorageJanitor (real SQLite store)', () => {
  let dir: string;
  let moduleRef: TestingModule;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-janitor-'));
    const options = {
      kind: 'sqlite' as const,
      dataDir: dir,
      mongoUri: null,
      mongoServerSelectionTimeoutMs: 2000,
      redisUri: null,
      redisKeyPrefix: 'gatehouse:',
      credsKey: 'a'.repeat(64),
    };
    moduleRef = await Test.createTestingModule({ imports: [StorageModule.forRoot(options)] }).compile();
  });

  afterEach(async () => {
    await moduleRef.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sweeps accounts whose expiresAt has passed (UserRepository.deleteExpired), keeping live and permanent ones', async () => {
    const users = moduleRef.get(UserRepository);
    const expired = await users.create({ email: 'expired@example.com', expiresAt: at(-1) });
    const pending = await users.create({ email: 'pending@example.com', expiresAt: at(60_000) });
    const permanent = await users.create({ email: 'verified@example.com', emailVerified: true });

    expect(await moduleRef.get(StorageJanitor).sweep(T0)).toBe(1);

    expect(await users.findById(expired.id)).toBeNull();
    expect(await users.findById(pending.id)).not.toBeNull();
    expect(await users.findById(permanent.id)).not.toBeNull();
    // Once its time comes, the pending one goes too; the permanent one never does.
    expect(await moduleRef.get(StorageJanitor).sweep(at(60_000))).toBe(1);
    expect(await users.count()).toBe(1);
  });
});
