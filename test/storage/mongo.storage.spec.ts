import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { StorageOptions } from '../../src/storage';
import { describeStorageConformance } from './storage-conformance';

const MONGO_URI = process.env.MONGO_URI;
const SKIP_REASON = 'MongoDB adapter conformance — skipped: MONGO_URI is not set (no MongoDB server on this machine)';

/** The URI with its database name replaced (hosts, credentials and options kept). */
function withDatabase(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error('MONGO_URI is not a mongodb:// or mongodb+srv:// URI');
  return `${match[1]}/${dbName}${match[2] ?? ''}`;
}

if (!MONGO_URI) {
  console.warn(SKIP_REASON);
  describe.skip(SKIP_REASON, () => {
    it('runs the storage conformance suite', () => {});
  });
} else {
  const baseUri = MONGO_URI;
  // One database per test, so every test starts empty (first-user role, counts, listings).
  const runId = randomBytes(4).toString('hex');
  const created: string[] = [];

  afterAll(async () => {
    if (created.length === 0) return;
    const conn = await mongoose.createConnection(baseUri, { serverSelectionTimeoutMS: 5000 }).asPromise();
    try {
      for (const dbName of created) await conn.useDb(dbName, { useCache: false }).dropDatabase();
    } finally {
      await conn.close();
    }
  });

  describeStorageConformance('MongoDB adapter conformance', (): StorageOptions => {
    const dbName = `gatehouse_conformance_${runId}_${created.length}`;
    created.push(dbName);
    return {
      kind: 'mongo',
      dataDir: '/nonexistent-gatehouse-data',
      mongoUri: withDatabase(baseUri, dbName),
      mongoServerSelectionTimeoutMs: 2000,
      redisUri: null,
      redisKeyPrefix: 'gatehouse:',
      credsKey: 'a'.repeat(64),
    };
  });
}
