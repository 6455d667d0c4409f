import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../support/free-port';
import { KeepAliveClient } from '../../support/keep-alive-client';
import { ensureMainBuilt, startMainProcess, waitFor200, type MainProcess } from '../../support/main-process';
import { PASSWORD } from '../auth/auth-helpers';

const SLOW = 200;
const PER_ADDRESS = 120;
/** Another loopback address: the slow clients are one "address", the normal client another. */
const SLOW_FROM = '127.0.0.2';

/**
 * RL-18: 200 connections from one address dribble a request's headers a byte at a time (slowloris)
 * while a normal client keeps signing in. The address gets at most MAX_CONNECTIONS_PER_ADDRESS
 * connections (the rest are closed at once), and sign-in is served throughout. Bounded: loopback
 * only, 200 sockets, a few seconds.
 */
describe('slow clients (dist/main.js)', () => {
  let proc: MainProcess | undefined;
  const sockets: net.Socket[] = [];
  beforeAll(() => ensureMainBuilt(), 180_000);
  afterEach(() => {
    sockets.splice(0).forEach((s) => s.destroy());
    proc?.child.kill('SIGKILL');
  });

  it('RL-18 200 slow connections are capped per address while a normal client keeps signing in', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    proc = startMainProcess({
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-slow-')),
      PASSWORD_HASH_COST: '4',
      ALLOW_REGISTRATION: 'true',
      LOGIN_MAX: '100000',
      LOGIN_FAILURE_DELAY_AFTER: '0',
      MAX_CONNECTIONS_PER_ADDRESS: String(PER_ADDRESS),
      HTTP_HEADERS_TIMEOUT: '20000',
      HTTP_REQUEST_TIMEOUT: '30000',
    });
    await waitFor200(`${base}/health`, 60_000);
    const normal = new KeepAliveClient(base);
    expect(
      (await normal.request('POST', '/api/auth/register', { name: 'Normal', email: 'normal@example.com', password: PASSWORD, confirm_password: PASSWORD }))
        .status,
    ).toBe(200);

    let closedByServer = 0;
    await Promise.all(
      Array.from(
        { length: SLOW },
        () =>
          new Promise<void>((resolve) => {
            const socket = net.connect({ host: '127.0.0.1', port, localAddress: SLOW_FROM });
            sockets.push(socket);
            socket.on('error', () => undefined);
            socket.once('close', () => (closedByServer += 1));
            socket.once('connect', () => {
              // The start of a request whose headers never end.
              socket.write('POST /api/auth/login HTTP/1.1\r\nHost: x\r\n');
              resolve();
            });
            socket.once('close', () => resolve());
          }),
      ),
    );
    const dribble = setInterval(() => sockets.forEach((s) => s.writable && s.write('X')), 200);
    try {
      // The kernel completes handshakes before the server gets to them: wait (bounded) until the
      // server has dealt with every connection beyond the cap.
      for (let waited = 0; closedByServer < SLOW - PER_ADDRESS && waited < 15_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      for (let i = 0; i < 10; i++) {
        const login = await normal.request('POST', '/api/auth/login', { email: 'normal@example.com', password: PASSWORD });
        expect(login.status).toBe(200);
      }
      const held = sockets.filter((s) => !s.destroyed).length;
      expect(held).toBeLessThanOrEqual(PER_ADDRESS);
      expect(held).toBeGreaterThan(PER_ADDRESS / 2);
      expect(closedByServer).toBeGreaterThanOrEqual(SLOW - PER_ADDRESS);
    } finally {
      clearInterval(dribble);
      normal.close();
    }
  }, 120_000);
});
