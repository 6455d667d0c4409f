import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../support/free-port';
import { ensureMainBuilt, startMainProcess, waitFor200, type MainProcess } from '../support/main-process';

const CACHE = path.resolve(__dirname, '../../dist/main.bundle.js.v8cache');

/** Polls the file system (the cache is written by the process, a moment after it listens). */
async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('V8 code cache of the bundle (scripts/cached-entry.js)', () => {
  const runs: MainProcess[] = [];
  const dataDirs: string[] = [];
  beforeAll(() => ensureMainBuilt(), 180_000);
  afterEach(async () => {
    for (const run of runs.splice(0)) {
      run.child.kill('SIGTERM');
      await run.exited;
    }
    for (const dir of dataDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<MainProcess> {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cache-'));
    dataDirs.push(dataDir);
    const run = startMainProcess({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'debug' });
    runs.push(run);
    await waitFor200(`http://127.0.0.1:${port}/health`, 60_000);
    return run;
  }

  it('is written after a start without one, used by the next start, and a damaged one is replaced, never fatal', async () => {
    fs.rmSync(CACHE, { force: true });
    const first = await start();
    expect(first.output()).toContain('code cache none on disk; compiled from source');
    await until(() => fs.existsSync(CACHE) && fs.statSync(CACHE).size > 100_000, 30_000);

    const second = await start();
    expect(second.output()).toContain('code cache used');

    const garbage = Buffer.alloc(4096, 7);
    fs.writeFileSync(CACHE, garbage);
    const third = await start();
    expect(third.output()).toContain('code cache rejected; compiled from source');
    await until(() => !fs.readFileSync(CACHE).equals(garbage), 30_000);
    expect(fs.statSync(CACHE).size).toBeGreaterThan(100_000);
  });
});
