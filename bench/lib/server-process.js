// Starts the real service as `npm start` runs it (dist/main.js and its V8 flags) on a free loopback port, for benchmarks.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { startArgs } = require('../../scripts/start-command');

const root = path.resolve(__dirname, '../..');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor200(url, timeoutMs) {
  const started = process.hrtime.bigint();
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return Number(process.hrtime.bigint() - started) / 1e6;
    } catch {
      // not up yet
    }
    if (Number(process.hrtime.bigint() - started) / 1e6 > timeoutMs) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** RSS of a process in MiB, from /proc (Linux). */
function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  return kb / 1024;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux; USER_HZ is 100). */
function cpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function startServer(env = {}) {
  const port = await freePort();
  // A data dir of its own unless the caller brings one (the scale bench's seeded stores); its own is removed at stop.
  const ownDir = !env.DATA_DIR;
  const dataDir = env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-'));
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, startArgs(), {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      ENV_FILE: 'none',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // The benchmarks measure throughput from one address; LibreChat's per-IP limits would cap it.
      LOGIN_MAX: '1000000',
      REGISTER_MAX: '1000000',
      RESET_PASSWORD_MAX: '1000000',
      VERIFY_EMAIL_MAX: '1000000',
      UPSTREAM_MAX: '1000000',
      LOGIN_FAILURE_DELAY_AFTER: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor200(`${url}/health`, 30_000);
  } catch (error) {
    // Never leave a half-started server behind a failed bench.
    child.kill('SIGKILL');
    await exited;
    if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const coldStartMs = Number(process.hrtime.bigint() - started) / 1e6;
  // What the start cost the process itself: unlike the wall time, neighbours' load barely moves it.
  const coldStartCpuMs = cpuMs(child.pid);
  return {
    url,
    pid: child.pid,
    dataDir,
    coldStartMs,
    coldStartCpuMs,
    rssMiB: () => rssMiB(child.pid),
    async stop() {
      child.kill('SIGTERM');
      await exited;
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a helper server script (e.g. a baseline) in its own process on a free loopback port:
 * `node <script> <port> ...args`, ready once it prints READY on stdout.
 */
async function startScript(script, { args = [], env = {} } = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [script, String(port), ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`${path.basename(script)} not ready after 30000 ms`)), 30_000);
      const onExit = (code) => {
        clearTimeout(timer);
        reject(new Error(`${path.basename(script)} exited with ${code} before it was ready`));
      };
      const onData = (chunk) => {
        out += chunk;
        if (!out.includes('READY')) return;
        clearTimeout(timer);
        child.off('exit', onExit);
        child.stdout.off('data', onData);
        // Keep draining, so later output can never fill the pipe and block the child.
        child.stdout.resume();
        resolve();
      };
      child.once('exit', onExit);
      child.stdout.on('data', onData);
    });
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    rssMiB: () => rssMiB(child.pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Starts the service once before anything is measured, so that the V8 code cache it writes after
 * its first start (scripts/cached-entry.js: after a build, or when V8 rejected the cache on disk)
 * is not written during a measured window: that write costs a few hundred ms of the event loop.
 * A deployed service has written it long before; the shell bench measures a first start itself.
 */
async function primeCodeCache() {
  const cache = path.join(root, 'dist', 'main.bundle.js.v8cache');
  const before = fs.existsSync(cache) ? fs.statSync(cache).mtimeMs : 0;
  const server = await startServer();
  try {
    // Written two seconds after the first start listens; a cache that was used is left alone.
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && !(fs.existsSync(cache) && fs.statSync(cache).mtimeMs > before)) await new Promise((r) => setTimeout(r, 100));
  } finally {
    await server.stop();
  }
}

module.exports = { startServer, startScript, freePort, primeCodeCache };
