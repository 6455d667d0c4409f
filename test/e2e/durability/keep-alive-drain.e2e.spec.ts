import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../support/free-port';
import { KeepAliveClient } from '../../support/keep-alive-client';
import { ensureMainBuilt, startMainProcess, waitFor200, type MainProcess } from '../../support/main-process';
import { PASSWORD } from '../auth/auth-helpers';

const SHUTDOWN_TIMEOUT = 15_000;
const READINESS_DELAY = 1_500;

/**
 * RL-14: two clients loop logins on keep-alive connections (a proxy's pool, which stops routing
 * to the instance once its readiness probe sees 503) while the process gets SIGTERM. Readiness must turn 503 during the delay, answers must carry Connection: close,
 * no accepted request may be reset, and the process must exit 0 well within SHUTDOWN_TIMEOUT.
 */
describe('drain under keep-alive (dist/main.js)', () => {
  let proc: MainProcess | undefined;
  beforeAll(() => ensureMainBuilt(), 180_000);
  afterEach(() => proc?.child.kill('SIGKILL'));

  it('RL-14 SIGTERM with two keep-alive clients looping logins: readiness 503, Connection: close, 0 resets, exit 0', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    proc = startMainProcess({
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-drain-')),
      LOG_LEVEL: 'info',
      PASSWORD_HASH_COST: '4',
      ALLOW_REGISTRATION: 'true',
      LOGIN_MAX: '100000',
      REGISTER_MAX: '1000',
      LOGIN_FAILURE_DELAY_AFTER: '0',
      SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT),
      SHUTDOWN_READINESS_DELAY: String(READINESS_DELAY),
    });
    await waitFor200(`${base}/health`, 60_000);
    const setup = new KeepAliveClient(base);
    expect(
      (await setup.request('POST', '/api/auth/register', { name: 'Drain', email: 'drain@example.com', password: PASSWORD, confirm_password: PASSWORD })).status,
    ).toBe(200);
    setup.close();

    let signalledAt = 0;
    const errors: string[] = [];
    const afterSignal: { status: number; connection: string | undefined }[][] = [];
    let beforeSignal = 0;
    let reusedBeforeSignal = 0;
    const loop = async () => {
      const client = new KeepAliveClient(base);
      const mine: { status: number; connection: string | undefined }[] = [];
      afterSignal.push(mine);
      try {
        for (;;) {
          let answer;
          try {
            answer = await client.request('POST', '/api/auth/login', { email: 'drain@example.com', password: PASSWORD });
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code ?? String(error);
            // The listener is closed: refused before anything was accepted. That ends the loop.
            if (code === 'ECONNREFUSED' && signalledAt) return;
            errors.push(code);
            return;
          }
          expect(answer.status).toBe(200);
          if (!signalledAt) {
            beforeSignal += 1;
            if (answer.reused) reusedBeforeSignal += 1;
          } else mine.push(answer);
          // What a load balancer does: once its probe saw 503 it sends nothing new to this
          // instance, and lets the connection go when told to close.
          if (probeSaw503 && answer.connection === 'close') return;
        }
      } finally {
        client.close();
      }
    };
    const readiness: number[] = [];
    let probeSaw503 = false;
    const probe = async () => {
      for (;;) {
        try {
          const res = await fetch(`${base}/health/ready`);
          readiness.push(res.status);
          if (res.status === 503) probeSaw503 = true;
        } catch {
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    const loops = [loop(), loop()];
    while (beforeSignal < 20) await new Promise((r) => setTimeout(r, 20));
    signalledAt = Date.now();
    const probing = probe();
    proc.child.kill('SIGTERM');
    const code = await proc.exited;
    const drainMs = Date.now() - signalledAt;
    await Promise.all([...loops, probing]);

    expect(errors).toEqual([]); // no ECONNRESET, no "socket hang up"
    expect(code).toBe(0);
    expect(drainMs).toBeLessThan(SHUTDOWN_TIMEOUT / 2);
    expect(drainMs).toBeGreaterThanOrEqual(READINESS_DELAY);
    expect(reusedBeforeSignal).toBeGreaterThan(0); // the connections really were kept alive
    expect(readiness).toContain(503);
    // The signal arrives asynchronously: a probe sent with it may still be 200, none after the first 503.
    expect(readiness.slice(readiness.indexOf(503))).not.toContain(200);
    expect(readiness.filter((status) => status === 503).length).toBeGreaterThan(3);
    // Requests kept being served during the delay, each telling the client to close.
    // The signal reaches the process a moment after the test sends it: per client, answers may
    // still be keep-alive until the first `Connection: close`, and every one after it must close.
    for (const answers of afterSignal) {
      const first = answers.findIndex((a) => a.connection === 'close');
      expect(first).toBeGreaterThanOrEqual(0);
      expect(answers.slice(first).every((a) => a.status === 200 && a.connection === 'close')).toBe(true);
    }
    expect(proc.output()).toMatch(/SIGTERM received: draining/);
  }, 120_000);
});
