import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

// A plain CommonJS script, shared with the benchmarks.
const { startArgs } = require('../../scripts/start-command') as { startArgs(): string[] };

const root = path.resolve(__dirname, '../..');

export interface MainProcess {
  child: ChildProcess;
  output(): string;
  /** Exit code, or the signal name when the process was killed by one. */
  exited: Promise<number | string | null>;
}

/** Builds dist/ when it is missing or stale (the run contract: `npm start` runs dist/main.js). */
export function ensureMainBuilt(): void {
  execFileSync(process.execPath, ['scripts/ensure-build.js'], { cwd: root, stdio: 'inherit' });
}

/**
 * Starts exactly what `npm start` starts, in a clean environment: the developer's or CI's own
 * variables (e.g. MONGO_URI) must not leak in.
 */
export function startMainProcess(env: Record<string, string>): MainProcess {
  const child = spawn(process.execPath, startArgs(), {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ENV_FILE: 'none', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return { child, output: () => output, exited };
}

/** Polls until `url` answers 200 (the process is up); returns how long it took. */
export async function waitFor200(url: string, timeoutMs: number): Promise<number> {
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
