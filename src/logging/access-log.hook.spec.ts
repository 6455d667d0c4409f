import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Writable } from 'node:stream';
import pino from 'pino';
import { accessLogHook } from './access-log.hook';

describe('access log', () => {
  function setup(level = 'info') {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    const hook = accessLogHook(() => pino({ level }, stream));
    // The parts of Fastify's request and reply the hook reads; the address comes from the socket.
    const request = (url: string, status: number, headers: Record<string, string> = {}) => {
      const raw = { url, method: 'GET', headers, socket: { remoteAddress: '203.0.113.9' } } as unknown as IncomingMessage;
      const reply = {
        statusCode: status,
        elapsedTime: 1.25,
        raw: { getHeader: (name: string) => (name === 'x-request-id' ? headers['x-request-id'] : undefined) },
      } as unknown as FastifyReply;
      hook({ raw } as FastifyRequest, reply);
    };
    return { lines, request };
  }

  it('writes one line per request with status, level by status and a masked URL (LG-02)', async () => {
    const { lines, request } = setup();
    request('/api/user?token=s3cret', 200, { authorization: 'Bearer eyJ.secret' });
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
