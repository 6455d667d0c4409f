import { Clock } from '../../../src/common/clock';
import { StorageJanitor } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { bearer, login, refreshWith, signUp, startAuthApp, type SignedInClient } from '../auth/auth-helpers';
import { sample } from './metrics-sample';

jest.setTimeout(120_000);

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const DAY = 24 * 60 * 60 * 1000;

describe('metrics and audit trail (issue 22)', () => {
  let app: RunningApp;
  let admin: SignedInClient;
  let user: SignedInClient;
  const scrape = async () => {
    const res = await new HttpClient(app.url).get('/metrics', bearer(METRICS_TOKEN));
    expect(res.status).toBe(200);
    return res.text;
  };
  const audit = (query = '', token = admin.token) => new HttpClient(app.url).get(`/api/admin/audit${query}`, bearer(token));

  beforeAll(async () => {
    app = await startAuthApp({ METRICS_ENABLED: 'true', METRICS_TOKEN, AUDIT_RETENTION_DAYS: '30' });
    admin = await signUp(app, 'admin@example.com');
    user = await signUp(app, 'user@example.com');
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('AU-02 /metrics answers only the metrics token', async () => {
    const http = new HttpClient(app.url);
    expect((await http.get('/metrics')).status).toBe(401);
    expect((await http.get('/metrics', bearer('wrong-token-0123456789abcdef'))).status).toBe(401);
    expect((await http.get('/metrics', bearer(admin.token))).status).toBe(401);
    const text = await scrape();
    expect(text).toContain('gatehouse_process_cpu_seconds_total');
    expect(text).toContain('gatehouse_outbox_messages');
  });

  it('sign-ins, failures, refreshes and requests move their counters (scrape, act, scrape)', async () => {
    const before = await scrape();
    await signUp(app, 'third@example.com').catch(() => undefined);
    const wrong = await login(new HttpClient(app.url), 'user@example.com', 'not the password at all');
    expect(wrong.status).toBe(401);
    const rotated = await refreshWith(app, user.refreshToken);
    expect(rotated.status).toBe(200);
    // Liveness is a plain Fastify route (health/liveness.route.ts); the shell's metrics hook still counts it.
    expect((await new HttpClient(app.url).get('/health')).status).toBe(200);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('gatehouse_sign_ins_total', { method: 'password', provider: 'local', outcome: 'success' })).toBe(1);
    expect(delta('gatehouse_sign_ins_total', { method: 'password', provider: 'local', outcome: 'wrong_credentials' })).toBe(1);
    expect(delta('gatehouse_refreshes_total', { outcome: 'rotated' })).toBe(1);
    expect(delta('gatehouse_http_requests_total', { method: 'POST', route: '/api/auth/login', status: '401' })).toBe(1);
    expect(delta('gatehouse_http_requests_total', { method: 'POST', route: '/api/auth/refresh', status: '200' })).toBe(1);
    expect(delta('gatehouse_http_requests_total', { method: 'GET', route: '/health', status: '200' })).toBe(1);
    expect(delta('gatehouse_security_events_total', { type: 'account.created' })).toBe(1);
  });

  it('AU-01 no label carries a user id, an email or a raw path', async () => {
    await new HttpClient(app.url).get(`/api/auth/sessions/${user.user.id}`, bearer(user.token));
    await new HttpClient(app.url).get(`/no/such/path/${user.user.id}`);
    const text = await scrape();
    for (const id of [admin.user.id, user.user.id]) expect(text).not.toContain(String(id));
    expect(text).not.toMatch(/@example\.com/);
    expect(text).not.toContain('/no/such/path');
    expect(sample(text, 'gatehouse_http_requests_total', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
  });

  it('AU-04 audit events carry who, where, how and a request id, never a password or token', async () => {
    const res = await audit(`?userId=${user.user.id}`);
    expect(res.status).toBe(200);
    const types = res.body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['account.created', 'sign_in.succeeded', 'sign_in.failed', 'refresh.rotated']));
    const failed = res.body.events.find((e: { type: string }) => e.type === 'sign_in.failed');
    expect(failed).toMatchObject({
      userId: user.user.id,
      method: 'password',
      provider: 'local',
      reason: 'wrong_credentials',
      ip: '127.0.0.1',
      actorId: null,
      details: {},
    });
    expect(typeof failed.id).toBe('string');
    expect(failed.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(failed.at).toISOString()).toBe(failed.at);
    const raw = JSON.stringify(res.body);
    expect(raw).not.toContain('not the password at all');
    expect(raw).not.toContain(user.refreshToken);
  });

  it('AU-03 a short safe X-Request-Id is kept and echoed, anything else is replaced', async () => {
    const http = new HttpClient(app.url);
    const kept = await login(http, 'user@example.com', 'wrong password one', { 'x-request-id': 'edge-proxy.42' });
    expect(kept.headers.get('x-request-id')).toBe('edge-proxy.42');
    const replaced = await login(http, 'user@example.com', 'wrong password two', { 'x-request-id': 'bad id\twith spaces' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const events = (await audit(`?userId=${user.user.id}&type=sign_in.failed&limit=2`)).body.events;
    expect(events.map((e: { requestId: string }) => e.requestId)).toEqual([replaced.headers.get('x-request-id'), 'edge-proxy.42']);
  });

  it('pages newest first with an opaque cursor, filters by time, refuses bad input', async () => {
    const all = (await audit('?limit=200')).body.events as Array<{ id: string; at: string }>;
    expect(all.length).toBeGreaterThan(6);
    const seen: string[] = [];
    let next: string | null = '';
    while (next !== null) {
      const res = await audit(`?limit=3${next ? `&cursor=${next}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.events.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.events.map((e: { id: string }) => e.id));
      next = res.body.next;
    }
    expect(seen).toEqual(all.map((e) => e.id));
    const ats = all.map((e) => Date.parse(e.at));
    expect([...ats].sort((a, b) => b - a)).toEqual(ats);
    const future = new Date(Date.now() + DAY).toISOString();
    expect((await audit(`?from=${encodeURIComponent(future)}`)).body.events).toEqual([]);
    expect((await audit(`?to=${encodeURIComponent(future)}&limit=1`)).body.next).not.toBeNull();
    for (const bad of ['?limit=0', '?limit=201', '?type=nope', '?cursor=%21%21', '?from=yesterday']) {
      const res = await audit(bad);
      expect(res.status).toBe(400);
      expect(typeof res.body.code).toBe('string');
    }
  });

  it('AU-05 only ADMIN reads the audit trail: USER 403, anonymous 401', async () => {
    expect((await audit('', user.token)).status).toBe(403);
    expect((await new HttpClient(app.url).get('/api/admin/audit')).status).toBe(401);
  });

  it('the janitor removes events older than AUDIT_RETENTION_DAYS by the injected clock', async () => {
    const clock = app.app.get(Clock);
    const count = async () => (await audit('?limit=200')).body.events.length as number;
    const before = await count();
    expect(before).toBeGreaterThan(0);
    // The clock is moved only around the sweep: the admin's bearer token would not survive the move.
    const sweepAt = async (offset: number) => {
      const spy = jest.spyOn(clock, 'now').mockReturnValue(new Date(Date.now() + offset));
      try {
        await app.app.get(StorageJanitor).sweep();
      } finally {
        spy.mockRestore();
      }
    };
    await sweepAt(29 * DAY);
    expect(await count()).toBe(before);
    await sweepAt(31 * DAY);
    expect(await count()).toBe(0);
  });
});

describe('limiter metrics and audit (issue 22)', () => {
  let app: RunningApp;
  let admin: SignedInClient;
  beforeAll(async () => {
    app = await startAuthApp({ METRICS_ENABLED: 'true', METRICS_TOKEN, LOGIN_MAX: '2', LOGIN_WINDOW: '1' });
    admin = await signUp(app, 'admin@example.com');
  });
  afterAll(async () => {
    await app?.stop();
  });
  const scrape = async () => (await new HttpClient(app.url).get('/metrics', bearer(METRICS_TOKEN))).text;
  const audit = (query = '') => new HttpClient(app.url).get(`/api/admin/audit${query}`, bearer(admin.token));

  it('a limiter hit counts by limit name and is audited', async () => {
    const before = await scrape();
    const http = new HttpClient(app.url);
    let limited = 0;
    for (let i = 0; i < 5; i++) if ((await login(http, 'nobody@example.com', 'whatever password')).status === 429) limited++;
    expect(limited).toBeGreaterThan(0);
    const after = await scrape();
    expect(sample(after, 'gatehouse_limit_hits_total', { limit: 'login' }) - sample(before, 'gatehouse_limit_hits_total', { limit: 'login' })).toBe(limited);
    const res = await audit('?type=limit.exceeded');
    expect(res.status).toBe(200);
    expect(res.body.events.length).toBe(limited);
    expect(res.body.events[0]).toMatchObject({ type: 'limit.exceeded', reason: 'login', ip: '127.0.0.1' });
  });
});
