import { KeyValueStore, ModerationRepository, UserRepository } from '../../src/storage';
import { RedisKeyValueStore } from '../../src/storage/redis/redis-key-value.store';
import { RedisModerationRepository } from '../../src/storage/redis/redis-moderation.repository';
import { startApp, type RunningApp } from '../support/app.harness';
import { startRedis, type RedisServerHandle } from '../support/redis/redis-server.harness';
import { ownServerSkipReason } from '../support/redis/redis-target';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are inspected field by field
const json = (res: Response): Promise<any> => res.json();

const skipReason = ownServerSkipReason();

if (skipReason) {
  const SKIP_REASON = `app with USE_REDIS — skipped: ${skipReason}`;
  console.warn(SKIP_REASON);
  describe.skip(SKIP_REASON, () => {
    it('reports Redis in readiness', () => {});
  });
} else {
  describe('app with USE_REDIS=true (real app over HTTP, private redis-server)', () => {
    let redis: RedisServerHandle;
    let running: RunningApp;

    beforeAll(async () => {
      redis = await startRedis();
      running = await startApp({ USE_REDIS: 'true', REDIS_URI: redis.uri, REDIS_KEY_PREFIX: 'gatehouse-e2e:' });
    });
    afterAll(async () => {
      await running?.stop();
      await redis?.stop();
    });

    const ready = () => fetch(`${running.url}/health/ready`);

    it('serves counters, scores and bans from Redis and everything else from the primary store', () => {
      expect(running.app.get(KeyValueStore)).toBeInstanceOf(RedisKeyValueStore);
      expect(running.app.get(ModerationRepository)).toBeInstanceOf(RedisModerationRepository);
      expect(running.app.get(UserRepository).constructor.name).toBe('SqliteUserRepository');
    });

    it('RL-03 readiness includes Redis: up, then 503 while Redis is down, then up again', async () => {
      const up = await ready();
      expect(up.status).toBe(200);
      const body = await json(up);
      expect(body.info.store).toEqual({ status: 'up', kind: 'sqlite' });
      expect(body.info.redis).toEqual({ status: 'up' });

      await redis.stop();
      const down = await ready();
      expect(down.status).toBe(503);
      const failure = await json(down);
      expect(failure.code).toBe('NOT_READY');
      expect(failure.error.redis).toEqual({ status: 'down', message: 'redis unreachable' });
      expect(failure.info.store).toEqual({ status: 'up', kind: 'sqlite' });
      // Liveness does not depend on Redis.
      expect((await fetch(`${running.url}/health`)).status).toBe(200);

      await redis.restart();
      const deadline = Date.now() + 10_000;
      let status = 0;
      while (Date.now() < deadline && (status = (await ready()).status) !== 200) await new Promise((r) => setTimeout(r, 100));
      expect(status).toBe(200);
    });
  });
}
