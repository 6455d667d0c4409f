import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestingModule } from '@nestjs/testing';
import { StorageOptions, StoreUnavailableError, isStoreUnavailable } from '../../src/storage';
import { startRedis, type RedisServerHandle } from '../support/redis/redis-server.harness';
import { ownServerSkipReason } from '../support/redis/redis-target';
import { HOUR, T0, portsOf } from './cases/context';
import { openStore } from './storage-conformance';

/** Generous for a busy 2-core CI box; a hanging call would take far longer (or forever). */
const FAST_MS = 2_000;

const skipReason = ownServerSkipReason();

if (skipReason) {
  const SKIP_REASON = `Redis outage behaviour — skipped: ${skipReason}`;
  console.warn(SKIP_REASON);
  describe.skip(SKIP_REASON, () => {
    it('rejects quickly while Redis is down and recovers after it restarts', () => {});
  });
} else {
  describe('Redis outage (a private redis-server is stopped and restarted)', () => {
    let server: RedisServerHandle;
    let moduleRef: TestingModule | undefined;
    const tempDirs: string[] = [];

    const options = (): StorageOptions => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-redis-outage-'));
      tempDirs.push(dataDir);
      return {
        kind: 'sqlite',
        dataDir,
        mongoUri: null,
        mongoServerSelectionTimeoutMs: 2000,
        redisUri: server.uri,
        redisKeyPrefix: 'gatehouse:',
        credsKey: 'a'.repeat(64),
      };
    };

    beforeEach(async () => {
      server = await startRedis();
    });
    afterEach(async () => {
      await moduleRef?.close();
      moduleRef = undefined;
      await server.stop();
      for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Every Redis-backed call, as the app would make it. */
    const calls = (ref: TestingModule): Array<[string, () => Promise<unknown>]> => {
      const { kv, moderation } = portsOf(ref);
      return [
        ['kv.get', () => kv.get('k', T0)],
        ['kv.increment', () => kv.increment('hits', 1, HOUR, T0)],
        ['kv.setIfAbsent', () => kv.setIfAbsent('lock', 'x', HOUR, T0)],
        ['moderation.addViolation', () => moderation.addViolation({ subject: 'ip:192.0.2.1', type: 'logins', score: 1, ttlMs: HOUR, now: T0 })],
        ['moderation.findActiveBan', () => moderation.findActiveBan(['user:u', 'ip:192.0.2.1'], T0)],
        ['moderation.listActiveBans', () => moderation.listActiveBans(T0)],
        ['kv.deleteExpired', () => kv.deleteExpired(T0)],
      ];
    };

    /** Each call must reject with the store-unavailable error, each within FAST_MS. */
    async function expectFastUnavailable(ref: TestingModule): Promise<number> {
      let slowest = 0;
      for (const [name, call] of calls(ref)) {
        const started = performance.now();
        const outcome = await call().then(
          () => new Error(`${name} resolved while Redis is down`),
          (error: unknown) => error,
        );
        const elapsed = performance.now() - started;
        slowest = Math.max(slowest, elapsed);
        // The call's name rides along so a failure says which call misbehaved.
        expect({ name, outcome }).toEqual({ name, outcome: expect.any(StoreUnavailableError) });
        expect(isStoreUnavailable(outcome)).toBe(true);
        expect({ name, fast: elapsed < FAST_MS }).toEqual({ name, fast: true });
      }
      return slowest;
    }

    /** Reconnection runs in the background (at most a second between attempts). */
    async function eventually<T>(call: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          return await call();
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }

    it('RL-01 rejects every call quickly with the store-unavailable error while Redis is down, and serves again after it restarts', async () => {
      moduleRef = await openStore(options());
      const { kv, moderation } = portsOf(moduleRef);
      expect(await kv.increment('hits', 1, HOUR, T0)).toEqual({ value: 1, expiresAt: new Date(T0.getTime() + HOUR) });

      await server.stop();
      const slowest = await expectFastUnavailable(moduleRef);
      console.log(`Redis down: slowest rejection ${slowest.toFixed(1)} ms`);
      // The primary store is not affected by the Redis outage.
      await expect(portsOf(moduleRef).users.findByEmail('nobody@example.com')).resolves.toBeNull();

      await server.restart();
      // The restarted server is empty (no persistence), so the counter starts over.
      expect(await eventually(() => kv.increment('hits', 1, HOUR, T0))).toEqual({ value: 1, expiresAt: new Date(T0.getTime() + HOUR) });
      await moderation.putBan({
        subject: 'user:u',
        type: 'manual',
        reason: null,
        violationCount: 0,
        createdAt: T0,
        expiresAt: new Date(T0.getTime() + HOUR),
        userId: null,
      });
      expect((await moderation.findActiveBan(['user:u'], T0))?.type).toBe('manual');
    });

    it('opens without crashing while Redis is down, and serves once Redis is up', async () => {
      await server.stop();
      const started = performance.now();
      moduleRef = await openStore(options());
      expect(performance.now() - started).toBeLessThan(5_000);
      await expectFastUnavailable(moduleRef);

      await server.restart();
      const { kv } = portsOf(moduleRef);
      await eventually(() => kv.set('k', 'v', HOUR, T0));
      expect(await kv.get('k', T0)).toBe('v');
    });

    it('rejects quickly when Redis hangs (connection open, no replies) and recovers when it resumes', async () => {
      moduleRef = await openStore(options());
      const { kv } = portsOf(moduleRef);
      await kv.set('k', 'v', HOUR, T0);
      server.freeze();
      try {
        const started = performance.now();
        await expect(kv.get('k', T0)).rejects.toBeInstanceOf(StoreUnavailableError);
        expect(performance.now() - started).toBeLessThan(FAST_MS);
      } finally {
        server.thaw();
      }
      expect(await eventually(() => kv.get('k', T0))).toBe('v');
    });

    it('rejects calls after the store is closed instead of reconnecting', async () => {
      moduleRef = await openStore(options());
      const { kv } = portsOf(moduleRef);
      await kv.set('k', 'v', HOUR, T0);
      await moduleRef.close();
      await expect(kv.get('k', T0)).rejects.toBeInstanceOf(StoreUnavailableError);
      moduleRef = undefined;
    });
  });
}
