import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { startRedis, type RedisServerHandle } from '../../support/redis/redis-server.harness';
import { ownServerSkipReason } from '../../support/redis/redis-target';
import { expectBanned, freshIp, loginFrom, registerFrom, startModeratedApp } from './moderation-helpers';

const skip = ownServerSkipReason();

if (skip) {
  describe('moderation across instances sharing Redis', () => it.skip(`skipped: ${skip}`, () => undefined));
} else {
  describe('moderation across instances sharing Redis', () => {
    let redis: RedisServerHandle;
    let a: RunningApp;
    let b: RunningApp;

    beforeAll(async () => {
      redis = await startRedis();
      const shared = {
        USE_REDIS: 'true',
        REDIS_URI: redis.uri,
        REDIS_KEY_PREFIX: 'gatehouse-shared:',
        LOGIN_MAX: '4',
        BAN_VIOLATIONS: 'true',
        BAN_INTERVAL: '3',
        BAN_DURATION: '3600000',
      };
      a = await startModeratedApp(shared);
      b = await startModeratedApp(shared);
    });
    afterAll(async () => {
      await a?.stop();
      await b?.stop();
      await redis?.stop();
    });

    it('MB-10: two instances enforce one combined limit, not two', async () => {
      const ip = freshIp();
      const [ha, hb] = [new HttpClient(a.url), new HttpClient(b.url)];
      expect((await loginFrom(ha, ip, 'nobody@example.com', 'x')).status).toBe(401);
      expect((await loginFrom(hb, ip, 'nobody@example.com', 'x')).status).toBe(401);
      expect((await loginFrom(ha, ip, 'nobody@example.com', 'x')).status).toBe(401);
      const fourth = await loginFrom(hb, ip, 'nobody@example.com', 'x');
      expect(fourth.status).toBe(401);
      expect(fourth.headers.get('ratelimit-remaining')).toBe('0');
      expect((await loginFrom(ha, ip, 'nobody@example.com', 'x')).status).toBe(429);
      expect((await loginFrom(hb, ip, 'nobody@example.com', 'x')).status).toBe(429);
    });

    it('MB-10: a ban earned on one instance is enforced by the other at once', async () => {
      const ip = freshIp();
      const ha = new HttpClient(a.url);
      for (let i = 0; i < 7; i++) await loginFrom(ha, ip, 'nobody@example.com', 'x');
      expectBanned(await registerFrom(new HttpClient(b.url), ip, 'other-instance@example.com'));
    });

    it('MB-11: with Redis down, login fails closed (503) and the other routes fail open; both recover', async () => {
      await redis.stop();
      try {
        const http = new HttpClient(a.url);
        const started = Date.now();
        const login = await loginFrom(http, freshIp(), 'nobody@example.com', 'x');
        expect(login.status).toBe(503);
        expect(login.body.code).toBe('SERVICE_UNAVAILABLE');
        expect(Date.now() - started).toBeLessThan(3000);
        const registered = await registerFrom(http, freshIp(), 'during-outage@example.com');
        expect(registered.status).toBe(200);
        expect((await fetch(`${a.url}/health`)).status).toBe(200);
      } finally {
        await redis.restart();
      }
      let status = 0;
      for (let i = 0; i < 30 && status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        status = (await loginFrom(new HttpClient(a.url), freshIp(), 'during-outage@example.com')).status;
      }
      expect(status).toBe(200);
    });
  });
}
