import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, isListening } from '../support/free-port';

const root = path.resolve(__dirname, '../..');

/** The run contract: `npm start` runs dist/main.js; these tests start exactly that process. */
function startProcess(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  // A clean environment: the developer's or CI's own variables (e.g. MONGO_URI) must not leak in.
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: root, env: { PATH: process.env.PATH ?? '', ENV_FILE: 'none', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor200(url: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

describe('process boot (dist/main.js)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/ensure-build.js'], { cwd: root, stdio: 'inherit' });
  }, 180_000);

  it('RL-11 refuses to start on bad configuration, naming every problem, before listening', async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-boot-'));
    const run = startProcess({ OPENID_ISSUER: 'notaurl', EMAIL_PORT: 'abc', NODE_ENV: 'production', PORT: String(port), DATA_DIR: dataDir });
    const code = await run.exited;
    expect(code).not.toBe(0);
    const out = run.output();
    for (const name of ['OPENID_ISSUER', 'EMAIL_PORT', 'JWT_SECRET', 'JWT_REFRESH_SECRET']) expect(out).toMatch(new RegExp(`^\\s+${name}: `, 'm'));
    expect(out).toContain('OPENID_ISSUER: "notaurl" is not an absolute http(s) URL');
    expect(await isListening(port)).toBe(false);
  });

  it('starts on the embedded store, serves /health and /api/docs, and exits cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-boot-'));
    const run = startProcess({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    try {
      await waitFor200(`http://127.0.0.1:${port}/health`, 20_000);
      expect((await fetch(`http://127.0.0.1:${port}/api/docs`)).status).toBe(200);
      expect(fs.existsSync(path.join(dataDir, 'gatehouse.db'))).toBe(true);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.output()).toMatch(/SIGTERM received/);
      expect(await isListening(port)).toBe(false);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 40_000);
});
