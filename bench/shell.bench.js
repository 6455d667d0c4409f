// Foundation figures: cold start to the first 200, idle memory, and the cost of the app shell
// (security headers, logging, error filter) on a trivial route against bare Express and bare Fastify,
// each warmed up and measured in alternating rounds.
const autocannon = require('autocannon');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, freePort } = require('./lib/server-process');
const { row, targetRow } = require('./lib/rows');
const { startCpuMeter, noiseRows } = require('./lib/cpu-meter');

const CONNECTIONS = 20;
/** Each server is warmed, then measured in rounds that alternate between them (as in the auth bench). */
const WARM_UP_S = 2;
const ROUND_S = 3;
const ROUNDS = 3;

function load(url, duration) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** Requests per second and p99 over several rounds of one target, as if they were one run. */
function combine(results) {
  const requests = results.reduce((sum, r) => sum + r.requests.total, 0);
  const seconds = results.reduce((sum, r) => sum + r.duration, 0);
  return { rate: requests / seconds, p99: Math.max(...results.map((r) => r.latency.p99)) };
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
    const bare = { express: await bareServer([]), fastify: await bareServer(['--fastify']), nest: await bareServer(['--nest']) };
    const targets = {
      gatehouse: `${server.url}/health`,
      express: `${bare.express.url}/health`,
      fastify: `${bare.fastify.url}/health`,
      nest: `${bare.nest.url}/health`,
    };
    const runs = { gatehouse: [], express: [], fastify: [], nest: [] };
    try {
      // The app's JIT settles later than the bare servers'; alternating rounds share out the machine's speed phases.
      for (const url of Object.values(targets)) await load(url, WARM_UP_S);
      for (let round = 0; round < ROUNDS; round++) for (const [name, url] of Object.entries(targets)) runs[name].push(await load(url, ROUND_S));
    } finally {
      for (const floor of Object.values(bare)) await floor.stop();
    }
    const gate = combine(runs.gatehouse);
    const floors = { express: combine(runs.express), fastify: combine(runs.fastify), nest: combine(runs.nest) };
    // The floor is the faster of the two bare servers (issue 17): Gatehouse runs on Fastify.
    const base = Math.max(floors.express.rate, floors.fastify.rate);
    rows = [
      row(
        `cold start, first start after a build (compiles the bundle${first.cacheWritten ? ', then writes the code cache' : '; no cache was written'})`,
        first.coldStartMs.toFixed(0),
        'ms',
      ),
      targetRow('cold start to first 200 on /health (every later start: code cache on disk)', server.coldStartMs, '<=', 1000, { digits: 0, unit: 'ms' }),
      row('CPU time the service used until that first 200', server.coldStartCpuMs.toFixed(0), 'ms'),
      targetRow('idle RSS after start', idleRss, '<=', 100, { digits: 1, unit: 'MiB' }),
      row(`GET /health throughput (${CONNECTIONS} conns, ${ROUNDS} rounds of ${ROUND_S}s after ${WARM_UP_S}s warm-up)`, gate.rate.toFixed(0), 'req/s'),
      row('GET /health p99 latency (worst round)', gate.p99, 'ms'),
      row('bare Express same route throughput', floors.express.rate.toFixed(0), 'req/s'),
      row('bare Fastify same route throughput', floors.fastify.rate.toFixed(0), 'req/s'),
      targetRow('app shell / faster bare floor throughput ratio', gate.rate / base, '>=', 0.85),
      // The least a Nest-on-Fastify app can be, on the same route: the ceiling of any service routed by Nest.
      row('  minimal Nest-on-Fastify / bare Fastify (the framework ceiling)', (floors.nest.rate / floors.fastify.rate).toFixed(2), 'x'),
      row('  gatehouse / minimal Nest-on-Fastify', (gate.rate / floors.nest.rate).toFixed(2), 'x'),
      targetRow('RSS after load', server.rssMiB(), '<=', 160, { digits: 1, unit: 'MiB' }),
    ];
  } finally {
    await server.stop();
  }
  // After the service has exited, so its CPU time counts as the benchmark's own.
  return [...rows, ...noiseRows(meter)];
};
