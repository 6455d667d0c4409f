// Foundation figures: cold start to the first 200, idle memory, and the cost of the app shell
// (helmet, logging, error filter) on a trivial route against a bare Express server.
const autocannon = require('autocannon');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { startServer, freePort } = require('./lib/server-process');

const DURATION_S = 5;
const CONNECTIONS = 20;

function load(url) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: DURATION_S }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function bareExpress() {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(__dirname, 'lib/bare-express.js'), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
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

module.exports = async function shellBench() {
  const server = await startServer();
  try {
    await new Promise((r) => setTimeout(r, 2000));
    const idleRss = server.rssMiB();
    const gate = await load(`${server.url}/health`);
    const bare = await bareExpress();
    let base;
    try {
      base = await load(`${bare.url}/health`);
    } finally {
      await bare.stop();
    }
    return [
      { metric: 'cold start to first 200 on /health', value: server.coldStartMs.toFixed(0), unit: 'ms' },
      { metric: 'idle RSS after start', value: idleRss.toFixed(1), unit: 'MiB' },
      { metric: `GET /health throughput (${CONNECTIONS} conns, ${DURATION_S}s)`, value: gate.requests.average.toFixed(0), unit: 'req/s' },
      { metric: 'GET /health p99 latency', value: String(gate.latency.p99), unit: 'ms' },
      { metric: 'bare Express same route throughput', value: base.requests.average.toFixed(0), unit: 'req/s' },
      { metric: 'app shell / bare Express throughput ratio', value: (gate.requests.average / base.requests.average).toFixed(2), unit: 'x' },
      { metric: 'RSS after load', value: server.rssMiB().toFixed(1), unit: 'MiB' },
    ];
  } finally {
    await server.stop();
  }
};
