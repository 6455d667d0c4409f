// Foundation figures: cold start to the first 200, idle memory, and the cost of the app shell
// (security headers, logging, error filter) on a trivial route against bare Express and bare Fastify.
const autocannon = require('autocannon');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, freePort } = require('./lib/server-process');
const { row, targetRow } = require('./lib/rows');
const { startCpuMeter, noiseRows } = require('./lib/cpu-meter');

const DURATION_S = 5;
const CONNECTIONS = 20;

function load(url) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: DURATION_S }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function bareServer(flags = []) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(__dirname, 'lib/bare-health.js'), String(port), ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** V8's code cache of the bundle, written by the first start after a build (scripts/cached-entry.js). */
const CODE_CACHE = path.join(__dirname, '..', 'dist', 'main.bundle.js.v8cache');

/** The first start after a build: no code cache yet; it compiles the bundle and writes the cache. */
async function firstStart() {
  fs.rmSync(CODE_CACHE, { force: true });
  const server = await startServer();
  try {
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(CODE_CACHE) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return { coldStartMs: server.coldStartMs, cacheWritten: fs.existsSync(CODE_CACHE) };
  } finally {
    await server.stop();
  }
}

module.exports = async function shellBench() {
  const meter = startCpuMeter();
  const first = await firstStart();
  const server = await startServer();
  let rows;
  try {
    await new Promise((r) => setTimeout(r, 2000));
    const idleRss = server.rssMiB();
    const gate = await load(`${server.url}/health`);
    const floors = {};
    for (const [name, flags] of [
      ['express', []],
      ['fastify', ['--fastify']],
    ]) {
      const bare = await bareServer(flags);
      try {
        floors[name] = await load(`${bare.url}/health`);
      } finally {
        await bare.stop();
      }
    }
    // The floor is the faster of the two bare servers (issue 17): Gatehouse runs on Fastify.
    const base = Math.max(floors.express.requests.average, floors.fastify.requests.average);
    rows = [
      row(
        `cold start, first start after a build (compiles the bundle${first.cacheWritten ? ', then writes the code cache' : '; no cache was written'})`,
        first.coldStartMs.toFixed(0),
        'ms',
      ),
      targetRow('cold start to first 200 on /health (every later start: code cache on disk)', server.coldStartMs, '<=', 1000, { digits: 0, unit: 'ms' }),
      row('CPU time the service used until that first 200', server.coldStartCpuMs.toFixed(0), 'ms'),
      targetRow('idle RSS after start', idleRss, '<=', 100, { digits: 1, unit: 'MiB' }),
      row(`GET /health throughput (${CONNECTIONS} conns, ${DURATION_S}s)`, gate.requests.average.toFixed(0), 'req/s'),
      row('GET /health p99 latency', gate.latency.p99, 'ms'),
      row('bare Express same route throughput', floors.express.requests.average.toFixed(0), 'req/s'),
      row('bare Fastify same route throughput', floors.fastify.requests.average.toFixed(0), 'req/s'),
      targetRow('app shell / faster bare floor throughput ratio', gate.requests.average / base, '>=', 0.85),
      targetRow('RSS after load', server.rssMiB(), '<=', 160, { digits: 1, unit: 'MiB' }),
    ];
  } finally {
    await server.stop();
  }
  // After the service has exited, so its CPU time counts as the benchmark's own.
  return [...rows, ...noiseRows(meter)];
};
