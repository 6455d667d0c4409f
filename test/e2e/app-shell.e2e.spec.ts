import { LifecycleState } from '../../src/health';
import { StoreLifecycle } from '../../src/storage';
import { startApp, type RunningApp } from '../support/app.harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are inspected field by field
const json = (res: Response): Promise<any> => res.json();

describe('app shell (real app over HTTP)', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp();
  });
  afterAll(async () => {
    await running?.stop();
  });

  const get = (path: string, init?: RequestInit) => fetch(`${running.url}${path}`, init);
  const postJson = (path: string, body: string) => get(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('answers liveness on GET /health', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ok' });
  });

  it('AU-03 liveness, served by Fastify without Nest, keeps the shell rules: a safe X-Request-Id is echoed, any other replaced, HEAD answered', async () => {
    const kept = await get('/health', { headers: { 'x-request-id': 'probe-1.a:b' } });
    expect(kept.headers.get('x-request-id')).toBe('probe-1.a:b');
    expect(kept.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const replaced = await get('/health', { headers: { 'x-request-id': 'x'.repeat(65) } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const head = await get('/health', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await head.text()).toBe('');
  });

  it('reports readiness with the store kind on GET /health/ready', async () => {
    const res = await get('/health/ready');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.status).toBe('ok');
    expect(body.info.store).toEqual({ status: 'up', kind: 'sqlite' });
  });

  it('serves the OpenAPI page and document', async () => {
    const page = await get('/api/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/swagger-ui/i);
    const doc = await json(await get('/api/docs-json'));
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/health/ready']));
  });

  it('answers unknown routes with 404 { message, code }', async () => {
    const res = await get('/api/nope');
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({ message: 'Not found.', code: 'NOT_FOUND' });
  });

  it('PW-05 refuses an oversized JSON body with 413 before any handler runs', async () => {
    const res = await postJson('/api/auth/login', JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(await json(res)).toEqual({ message: 'The request body is too large.', code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers malformed JSON with 400 INVALID_JSON without echoing the input', async () => {
    const res = await postJson('/api/auth/login', '{"email": "secret-value",');
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body).toEqual({ message: 'The request body is not valid JSON.', code: 'INVALID_JSON' });
  });

  it('sets security headers and hides the framework', async () => {
    const res = await get('/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('RL-08 readiness turns 503 while draining, liveness stays 200', async () => {
    const other = await startApp();
    try {
      other.app.get(LifecycleState).startDraining();
      const ready = await fetch(`${other.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect((await json(ready)).error.lifecycle).toEqual({ status: 'down', message: 'shutting down' });
      expect((await fetch(`${other.url}/health`)).status).toBe(200);
    } finally {
      await other.stop();
    }
  });

  it('RL-03 readiness turns 503 when the store is unreachable', async () => {
    const other = await startApp();
    try {
      await other.app.get(StoreLifecycle).close();
      const ready = await fetch(`${other.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect((await json(ready)).error.store).toMatchObject({ status: 'down', kind: 'sqlite' });
    } finally {
      await other.stop();
    }
  });
});
