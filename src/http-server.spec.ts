import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpServerGuard, type HttpLimits } from './http-server';

const LIMITS: HttpLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnectionsPerAddress: 10 };

interface Answer {
  status: number;
  connection: string | undefined;
}

/** A real server with the guard, whose handler answers when the test releases it. */
async function startServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const server = http.createServer();
  const guard = new HttpServerGuard(server, LIMITS);
  server.on('request', handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string) =>
    new Promise<Answer>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      });
      req.on('error', reject);
    });
  const stop = async () => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { guard, get, stop };
}

describe('HttpServerGuard (RL-14 drain bookkeeping)', () => {
  it('RL-14 a response in flight when draining starts closes its connection; those before it kept theirs', async () => {
    let release: () => void = () => undefined;
    const { guard, get, stop } = await startServer((req, res) => {
      if (req.url === '/slow') release = () => res.end('late');
      else res.end('ok');
    });
    try {
      expect((await get('/fast')).connection).toBe('keep-alive');
      const inFlight = get('/slow');
      await new Promise((resolve) => setTimeout(resolve, 50));
      guard.startDraining();
      release();
      expect(await inFlight).toEqual({ status: 200, connection: 'close' });
    } finally {
      await stop();
    }
  });

  it('RL-14 every response begun after draining started closes its connection', async () => {
    const { guard, get, stop } = await startServer((_req, res) => res.end('ok'));
    try {
      guard.startDraining();
      expect(await get('/a')).toEqual({ status: 200, connection: 'close' });
      expect(await get('/b')).toEqual({ status: 200, connection: 'close' });
    } finally {
      await stop();
    }
  });

  // The bookkeeping is per connection: a per-response listener and Set entry put a page fault and
  // old-space garbage on every request (docs/benchmarks.md, "the slow mode").
  it('adds nothing to a response: no listener per request, whatever the number of keep-alive requests', async () => {
    const added: number[] = [];
    const { get, stop } = await startServer((_req, res) => {
      added.push(res.listenerCount('close') + res.listenerCount('finish'));
      res.end('ok');
    });
    const bare = http.createServer((_req, res) => {
      added.push(-(res.listenerCount('close') + res.listenerCount('finish')));
      res.end('ok');
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    try {
      for (let i = 0; i < 20; i += 1) expect((await get('/')).connection).toBe('keep-alive');
      await fetch(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/`).then((res) => res.text());
      const bareCount = -added.pop()!;
      expect(added).toHaveLength(20);
      expect(new Set(added)).toEqual(new Set([bareCount]));
    } finally {
      bare.closeAllConnections();
      await new Promise((resolve) => bare.close(resolve));
      await stop();
    }
  });
});
