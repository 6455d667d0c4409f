import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, isListening } from '../free-port';

export interface RedisServerHandle {
  uri: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL); data is not persisted. Idempotent. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty (a Redis outage followed by recovery). */
  restart(): Promise<void>;
  /** SIGSTOP: connections stay open but nothing is answered (a hung server). */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
}

const STARTUP_TIMEOUT_MS = 10_000;

/** `redis-server` on the PATH, or null. Checked synchronously so specs can decide to skip. */
export function findRedisServer(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'redis-server');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/**
 * A private redis-server child process on a free loopback port, without persistence (no RDB,
 * no AOF) and with its working directory in a temporary folder. Resolves once it accepts
 * connections.
 */
export async function startRedis(): Promise<RedisServerHandle> {
  const binary = findRedisServer();
  if (!binary) throw new Error('redis-server is not installed (scripts/install-test-deps.sh installs it)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-redis-'));
  let port = 0;
  let child: ChildProcess | null = null;
  // The free port may be taken between the probe and the bind: try a few.
  for (let attempt = 1; child === null; attempt++) {
    port = await freePort();
    try {
      child = await spawnServer(binary, port, dir);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }

  const stop = async () => {
    const running = child;
    child = null;
    if (running) await terminate(running);
  };
  return {
    uri: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await stop();
      fs.mkdirSync(dir, { recursive: true });
      child = await spawnServer(binary, port, dir);
    },
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
  };
}

async function spawnServer(binary: string, port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await isListening(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await terminate(child);
  throw new Error(`redis-server did not start on port ${port}\n--- output ---\n${output}`);
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  // A frozen server would ignore SIGTERM until resumed.
  child.kill('SIGCONT');
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
