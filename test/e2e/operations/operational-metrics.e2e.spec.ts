import { Clock } from '../../../src/common/clock';
import type { RunningApp } from '../../support/app.harness';
import { freePort } from '../../support/free-port';
import { HttpClient } from '../../support/http';
import { startRedis, type RedisServerHandle } from '../../support/redis/redis-server.harness';
import { ownServerSkipReason } from '../../support/redis/redis-target';
import { bearer, login, startAuthApp } from '../auth/auth-helpers';
import { mailEnv } from '../mail/mail-helpers';
import { sample } from './metrics-sample';

jest.setTimeout(120_000);

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const scrape = async (app: RunningApp) => {
  const res = await new HttpClient(app.url).get('/metrics', bearer(METRICS_TOKEN));
  expect(res.status).toBe(200);
  return res.text;
};

describe('outbox age metric (issue 22)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    // Nothing listens on the SMTP port: the reset mail stays pending.
    app = await startAuthApp({
      ...mailEnv({ host: '127.0.0.1', port: await freePort() }),
      METRICS_ENABLED: 'true',
      METRICS_TOKEN,
      ALLOW_UNVERIFIED_EMAIL_LOGIN: 'true',
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('the oldest pending message ages by the injected clock; 0 when nothing is pending', async () => {
    expect(sample(await scrape(app), 'gatehouse_outbox_oldest_pending_age_seconds')).toBe(0);
    const http = new HttpClient(app.url);
    expect(
      (
        await http.post('/api/auth/register', {
          json: { name: 'Aged Mail', email: 'aged@example.com', password: 'correct horse battery', confirm_password: 'correct horse battery' },
        })
      ).status,
    ).toBe(200);
    expect((await http.post('/api/auth/requestPasswordReset', { json: { email: 'aged@example.com' } })).status).toBe(200);
    const clock = app.app.get(Clock);
    const spy = jest.spyOn(clock, 'now').mockReturnValue(new Date(Date.now() + 600_000));
    let text: string;
    try {
      text = await scrape(app);
    } finally {
      spy.mockRestore();
    }
    expect(sample(text, 'gatehouse_outbox_messages', { status: 'pending' })).toBeGreaterThanOrEqual(1);
    const age = sample(text, 'gatehouse_outbox_oldest_pending_age_seconds');
    expect(age).toBeGreaterThanOrEqual(600);
    expect(age).toBeLessThan(600 + 120);
  });
});

const skip = ownServerSkipReason();
if (skip) {
  describe('store error metric (issue 22)', () => it.skip(`skipped: ${skip}`, () => undefined));
} else {
  describe('store error metric (issue 22)', () => {
    let redis: RedisServerHandle;
    let app: RunningApp;
    beforeAll(async () => {
      redis = await startRedis();
      app = await startAuthApp({ USE_REDIS: 'true', REDIS_URI: redis.uri, REDIS_KEY_PREFIX: 'gatehouse-metrics:', METRICS_ENABLED: 'true', METRICS_TOKEN });
    });
    afterAll(async () => {
      await app?.stop();
      await redis?.stop();
    });

    it('AU-06 a Redis outage answered 503 counts as a store error labelled only by backend', async () => {
      const before = sample(await scrape(app), 'gatehouse_store_errors_total', { store: 'redis' });
      await redis.stop();
      const refused = await login(new HttpClient(app.url), 'nobody@example.com', 'whatever password');
      expect(refused.status).toBe(503);
      const after = sample(await scrape(app), 'gatehouse_store_errors_total', { store: 'redis' });
      expect(after - before).toBe(1);
    });
  });
}
