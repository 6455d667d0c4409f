import * as jwt from 'jsonwebtoken';
import type { RunningApp } from '../../support/app.harness';
import { startApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { startFakeMongod, type FakeMongod } from '../../support/mongo/fake-mongod';

/**
 * The real app on the real MongoDB driver, against a loopback server that speaks the wire
 * protocol and then misbehaves: a stalled primary and a failover must answer 503 within a bound,
 * never hang or look like "wrong password".
 */
const JWT_SECRET = 's'.repeat(64);

describe('MongoDB faults through the real driver', () => {
  let mongod: FakeMongod;
  let app: RunningApp;

  beforeAll(async () => {
    mongod = await startFakeMongod();
    app = await startApp({ JWT_SECRET, MONGO_URI: mongod.uri, MONGO_SERVER_SELECTION_TIMEOUT: '1000', MONGO_SOCKET_TIMEOUT: '1500', PASSWORD_HASH_COST: '4' });
  }, 30_000);
  afterAll(async () => {
    await app?.stop();
    await mongod?.close();
  });

  const login = () => new HttpClient(app.url).post('/api/auth/login', { json: { email: 'someone@example.com', password: 'correct horse battery' } });

  it('MB-18 boots on the wire-protocol server: tenant check and unique indexes before listening, the rest in the background', async () => {
    expect(mongod.commands).toContain('find');
    const indexBuilds = () =>
      mongod.documents.filter((d) => 'createIndexes' in d) as Array<{
        createIndexes: string;
        indexes: Array<{ key: Record<string, number>; unique?: boolean }>;
      }>;
    // The background phase runs after listen: wait (on I/O, up to 5 s) for its last index, the outbox's.
    for (let i = 0; i < 250 && !indexBuilds().some((d) => d.createIndexes === 'gatehouse_outbox'); i++) await new Promise((r) => setTimeout(r, 20));
    const builds = indexBuilds();
    const firstNonUnique = builds.findIndex((d) => d.indexes.some((ix) => ix.unique !== true));
    expect(firstNonUnique).toBeGreaterThan(0);
    expect(builds.slice(0, firstNonUnique).every((d) => d.indexes.every((ix) => ix.unique === true))).toBe(true);
    expect(builds.map((d) => `${d.createIndexes}:${JSON.stringify(d.indexes[0].key)}`)).toEqual(
      expect.arrayContaining(['users:{"email":1,"tenantId":1}', 'sessions:{"refreshTokenHash":1}', 'logs:{"key":1}']),
    );
  });

  it('RL-20 a stalled server answers 503 within the socket timeout', async () => {
    mongod.mode = 'stall';
    const started = Date.now();
    const res = await login();
    mongod.mode = 'ok';
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(6000);
  }, 20_000);

  it('RL-21 a failover reply (NotWritablePrimary) answers 503, not 401 or 500, on login and on a bearer request', async () => {
    // The bearer guard looks the user up: no limiter in front decides the answer there.
    const token = jwt.sign(
      { id: '65f0a1b2c3d4e5f601234567', username: null, provider: 'local', email: 'a@example.com', sid: null, aud: 'gatehouse:access' },
      JWT_SECRET,
      {
        algorithm: 'HS256',
        header: { alg: 'HS256', typ: 'at+jwt' },
        expiresIn: 60,
      },
    );
    mongod.mode = 'failover';
    const res = await login();
    const user = await new HttpClient(app.url).get('/api/user', { headers: { authorization: `Bearer ${token}` } });
    mongod.mode = 'ok';
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(user.status).toBe(503);
    expect(user.body.code).toBe('SERVICE_UNAVAILABLE');
    expect((await new HttpClient(app.url).get('/api/user', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  }, 20_000);
});
