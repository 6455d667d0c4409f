import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { findRedisServer, startRedis, type RedisServerHandle } from './redis-server.harness';

/** A Redis given from outside (CI service, developer machine); its other keys are left alone. */
const EXTERNAL_URI = process.env.REDIS_URI || null;

export type RedisSource = { kind: 'external'; uri: string } | { kind: 'spawn' } | { kind: 'none'; reason: string };

/** REDIS_URI when set, a private redis-server when one is installed, otherwise nothing. */
export function redisSource(): RedisSource {
  if (EXTERNAL_URI) return { kind: 'external', uri: EXTERNAL_URI };
  if (findRedisServer()) return { kind: 'spawn' };
  return { kind: 'none', reason: 'REDIS_URI is not set and redis-server is not installed (run scripts/install-test-deps.sh)' };
}

/** Why a suite that must stop and restart its own server cannot run here, or null. */
export function ownServerSkipReason(): string | null {
  return findRedisServer() ? null : 'redis-server is not installed, so no outage can be staged (run scripts/install-test-deps.sh)';
}

export interface AcquiredRedis {
  uri: string;
  /** The private server, or null when REDIS_URI points at an external one. */
  server: RedisServerHandle | null;
  /** A key prefix no other test (or run) uses. */
  freshPrefix(): string;
  /** Stops the private server, or deletes this run's keys from the external one. */
  release(): Promise<void>;
}

export async function acquireRedis(source: RedisSource = redisSource()): Promise<AcquiredRedis> {
  if (source.kind === 'none') throw new Error(source.reason);
  const runPrefix = `gatehouse-test:${randomBytes(4).toString('hex')}:`;
  let n = 0;
  const freshPrefix = () => `${runPrefix}${n++}:`;
  if (source.kind === 'spawn') {
    const server = await startRedis();
    return { uri: server.uri, server, freshPrefix, release: () => server.stop() };
  }
  return {
    uri: source.uri,
    server: null,
    freshPrefix,
    release: () => deleteKeys(source.uri, `${runPrefix}*`),
  };
}

async function deleteKeys(uri: string, pattern: string): Promise<void> {
  const client = new Redis(uri, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
