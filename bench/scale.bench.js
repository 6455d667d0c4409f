// Scale (issue 17, target 5): login, refresh and bearer latency on a SQLite store holding
// 1,000,000 users and 1,000,000 sessions against one holding 1,000 of each, same server, same env.
// The app's own migrations create each store (the built server is started once on it), then
// bench/lib/scale-seed.js fills it in bulk. One server per store, both up, loaded one at a time in
// short alternating rounds (1k, 1M, 1M, 1k, ...): on a shared machine the load of others drifts by
// the second, and rounds spread that drift over both stores instead of one. Everything lives in temp
// dirs removed at the end, also on failure or Ctrl-C; nothing is cached between runs.
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const bcrypt = require('bcrypt');
const { noiseRows, startCpuMeter } = require('./lib/cpu-meter');
const { startServer } = require('./lib/server-process');
const { run, merge, percentile } = require('./lib/load');
const { row, targetRow } = require('./lib/rows');
const { seedStore, emailOf } = require('./lib/scale-seed');

const STORES = [
  { label: '1k', count: 1_000 },
  { label: '1M', count: 1_000_000 },
];
// Cost 4, the lowest the server accepts: at the default 12 one hash takes hundreds of ms and would
// hide the store's share of a login entirely. The seeded hash has the server's cost, so a login
// never rehashes (which would add a write).
const HASH_COST = 4;
const PASSWORD = 'bench password of decent length';
// Per store. Warm-up and measured users are distinct and fit in the 1k store (50 + 12 x 50).
// Each login makes a session; each refresh then spends one of those sessions' cookies once.
// One request at a time: each commit blocks the server's event loop for its fsync, so with
// several in flight a request's latency is mostly its queue, which multiplies the disk's noise.
const WARMUP = { logins: 50, bearerS: 1 };
const ROUNDS = 12;
const LOGIN = { perRound: 50, connections: 1 };
const REFRESH = { perRound: 50, connections: 1 };
// The bearer path reuses a user and ban lookup for 1 s (src/common/recent-cache.ts). A store's
// 650 tokens, in turn at 300 req/s, come back to a token every ~2 s: every request reads the store.
const BEARER = { connections: 4, overallRate: 300, roundS: 1.5, rounds: 4 };

const ms = (v) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');

/** `n` distinct user indexes of a store of `count`, in random order. */
function sample(count, n) {
  const picked = new Set();
  while (picked.size < Math.min(n, count)) picked.add(Math.floor(Math.random() * count));
  return [...picked];
}

function refreshCookieOf(headers) {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === 'set-cookie');
  const values = [headers[key] ?? []].flat();
  for (const value of values) {
    const m = /^refreshToken=([^;]+)/.exec(value);
    if (m) return m[1];
  }
  return null;
}

/** Logs in each of `emails` once; returns the latencies and each login's access and refresh token. */
async function logins(url, emails, connections) {
  let next = 0;
  const signedIn = [];
  const result = await run({
    url,
    connections,
    amount: emails.length,
    requests: [
      {
        method: 'POST',
        path: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ email: emails[next++ % emails.length], password: PASSWORD }) }),
        onResponse: (status, body, _context, headers) => {
          if (status !== 200) return;
          const refresh = refreshCookieOf(headers);
          if (refresh) signedIn.push({ token: JSON.parse(body).token, refresh });
        },
      },
    ],
  });
  return { result, signedIn };
}

/** Refreshes with each cookie once (a rotated cookie is spent: reuse would be a replay). */
function refreshes(url, cookies, connections) {
  let next = 0;
  return run({
    url,
    connections,
    amount: cookies.length,
    requests: [
      {
        method: 'POST',
        path: '/api/auth/refresh',
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, cookie: `refreshToken=${cookies[next++ % cookies.length]}` } }),
      },
    ],
  });
}

/** GET /api/user with the store's tokens in turn (its cursor carries over rounds), at a fixed overall rate. */
function bearers(store, seconds) {
  const { url } = store.server;
  const tokens = store.signedIn.map((s) => s.token);
  return run({
    url,
    connections: BEARER.connections,
    overallRate: BEARER.overallRate,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        path: '/api/user',
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[store.bearerNext++ % tokens.length]}` } }),
      },
    ],
  });
}

/** Bytes a process has had written to storage (WAL, checkpoints), from /proc; NaN elsewhere. */
function writtenBytes(pid) {
  try {
    return Number(/write_bytes: (\d+)/.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'))[1]);
  } catch {
    return NaN;
  }
}

/** Runs `work` and adds what the store's server wrote meanwhile to `store.written[op]`. */
async function counted(store, op, work) {
  const before = writtenBytes(store.server.pid);
  const result = await work();
  store.written[op] += writtenBytes(store.server.pid) - before;
  return result;
}

/** 1k, 1M, then 1M, 1k, ...: neither store always goes first. */
const inTurn = (stores, round) => (round % 2 === 0 ? stores : [...stores].reverse());

/** Warm-up (JIT, the store's first pages), then the three paths in alternating rounds. */
async function measure(stores) {
  for (const store of stores) {
    store.emails = sample(store.count, WARMUP.logins + ROUNDS * LOGIN.perRound).map(emailOf);
    const warm = await logins(store.server.url, store.emails.splice(0, WARMUP.logins), LOGIN.connections);
    store.signedIn = warm.signedIn;
    store.bearerNext = 0;
    await bearers(store, WARMUP.bearerS);
    await refreshes(
      store.server.url,
      warm.signedIn.map((s) => s.refresh),
      REFRESH.connections,
    );
    store.spent = warm.signedIn.length;
    store.written = { login: 0, refresh: 0 };
    store.login = [];
    store.bearer = [];
    store.refresh = [];
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const store of inTurn(stores, round)) {
      const emails = store.emails.splice(0, LOGIN.perRound);
      const { result, signedIn } = await counted(store, 'login', () => logins(store.server.url, emails, LOGIN.connections));
      store.login.push(result);
      store.signedIn.push(...signedIn);
    }
  }
  for (let round = 0; round < BEARER.rounds; round += 1) {
    for (const store of inTurn(stores, round)) store.bearer.push(await bearers(store, BEARER.roundS));
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const store of inTurn(stores, round)) {
      const cookies = store.signedIn.slice(store.spent, store.spent + REFRESH.perRound).map((s) => s.refresh);
      store.spent += cookies.length;
      store.refresh.push(await counted(store, 'refresh', () => refreshes(store.server.url, cookies, REFRESH.connections)));
    }
  }
}

module.exports = async function scaleBench() {
  const meter = startCpuMeter();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-scale-'));
  const servers = [];
  const cleanup = () => fs.rmSync(root, { recursive: true, force: true });
  // A Ctrl-C would skip the finally below; the 1M store is close to a GiB.
  const onSignal = () => {
    for (const server of servers) process.kill(server.pid, 'SIGKILL');
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const env = {
    PASSWORD_HASH_COST: String(HASH_COST),
    JWT_SECRET: randomBytes(32).toString('hex'),
    JWT_REFRESH_SECRET: randomBytes(32).toString('hex'),
  };
  const rows = [];
  try {
    const passwordHash = bcrypt.hashSync(PASSWORD, HASH_COST);
    const stores = [];
    for (const { label, count } of STORES) {
      const dir = path.join(root, label);
      fs.mkdirSync(dir);
      // The app's migrations make the schema: start the built server once on the empty dir.
      const schema = await startServer({ ...env, DATA_DIR: dir });
      await schema.stop();
      const seeded = seedStore(path.join(dir, 'gatehouse.db'), { count, passwordHash });
      const mib = fs.readdirSync(dir).reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0) / 2 ** 20;
      rows.push(row(`seeding ${count} users + ${count} sessions (store ${label}), store size ${mib.toFixed(0)} MiB`, seeded.seconds.toFixed(1), 's'));
      stores.push({ label, count, dir });
    }
    for (const store of stores) {
      store.server = await startServer({ ...env, DATA_DIR: store.dir });
      servers.push(store.server);
      rows.push(row(`cold start to first 200, store ${store.label} (boot integrity check included)`, store.server.coldStartMs.toFixed(0), 'ms'));
    }
    await measure(stores);

    const ops = [
      ['login', `POST /api/auth/login, ${ROUNDS * LOGIN.perRound} distinct seeded users, ${LOGIN.connections} conns, bcrypt cost ${HASH_COST}`],
      ['refresh', `POST /api/auth/refresh, each login's cookie once, ${REFRESH.connections} conns`],
      ['bearer', `GET /api/user, ${WARMUP.logins + ROUNDS * LOGIN.perRound} users' tokens in turn at ${BEARER.overallRate} req/s (no recent-lookup hits)`],
    ];
    const [small, large] = stores.map((store) => Object.fromEntries(ops.map(([op]) => [op, merge(store[op])])));
    for (const [op, label] of ops) {
      for (const [i, store] of stores.entries()) {
        const r = [small, large][i][op];
        rows.push(
          row(`${label}; ${store.label} p50 / p99 (n=${r.latencies.length})`, `${ms(percentile(r.latencies, 50))} / ${ms(percentile(r.latencies, 99))}`, 'ms'),
        );
      }
      rows.push(targetRow(`${op} p50, 1M / 1k store`, percentile(large[op].latencies, 50) / percentile(small[op].latencies, 50), '<=', 1.2));
      const p99 = percentile(large[op].latencies, 99) / percentile(small[op].latencies, 99);
      rows.push(row(`${op} p99, 1M / 1k store (reported, not a target: see docs/benchmarks.md)`, p99.toFixed(2), 'x'));
      if (op === 'bearer') continue;
      // Why a write path may slow down with the store's size: more pages written per commit.
      const perRequest = stores.map((store, i) => store.written[op] / 1024 / [small, large][i][op].latencies.length);
      rows.push(row(`${op}: storage written per request, 1k / 1M store (WAL and checkpoints)`, perRequest.map((v) => v.toFixed(1)).join(' / '), 'KiB'));
    }
    rows.push(
      row(
        'failed requests, login/refresh/bearer',
        `1k ${small.login.failures}/${small.refresh.failures}/${small.bearer.failures}, 1M ${large.login.failures}/${large.refresh.failures}/${large.bearer.failures}`,
        'requests',
      ),
    );
    rows.push(row('server RSS after the run, 1k / 1M store', stores.map((s) => s.server.rssMiB().toFixed(1)).join(' / '), 'MiB'));
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cleanup();
  }
  rows.push(...noiseRows(meter));
  return rows;
};
