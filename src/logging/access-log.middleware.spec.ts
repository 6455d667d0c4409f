import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { accessLogMiddleware } from './access-log.middleware';

describe('access log', () => {
  function setup(level = 'info') {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    const middleware = accessLogMiddleware(() => pino({ level }, stream));
    const request = (url: string, status: number, headers: Record<string, string> = {}) => {
      const req = { url, method: 'GET', headers, ip: '203.0.113.9' } as unknown as IncomingMessage;
      const res = Object.assign(new EventEmitter(), {
        statusCode: status,
        getHeader: (name: string) => (name === 'x-request-id' ? headers['x-request-id'] : undefined),
      }) as unknown as ServerResponse;
      let nextCalled = false;
      middleware(req, res, () => (nextCalled = true));
      res.emit('finish');
      return nextCalled;
    };
    return { lines, request };
  }

  it('writes one line per request with status, level by status and a masked URL (LG-02)', async () => {
    const { lines, request } = setup();
    expect(request('/api/user?token=s3cret', 200, { authorization: 'Bearer eyJ.secret' })).toBe(true);
    request('/api/auth/login', 401);
    request('/api/boom', 503);
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.level, l.status, l.url])).toEqual([
      [30, 200, '/api/user?token=%5BRedacted%5D'],
      [40, 401, '/api/auth/login'],
      [50, 503, '/api/boom'],
    ]);
    expect(lines[0]).toMatchObject({ method: 'GET', ip: '203.0.113.9', reqId: 1, msg: 'request completed' });
    expect(JSON.stringify(lines)).not.toContain('s3cret');
    expect(JSON.stringify(lines)).not.toContain('eyJ');
  });

  it('skips probes, and lines below the configured level', async () => {
    const { lines, request } = setup('warn');
    request('/health', 200);
    request('/health/ready', 503);
    request('/api/user', 200);
    request('/api/user', 404);
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.status, l.url])).toEqual([[404, '/api/user']]);
  });
});
