// Scale (issue 17, target 5): login, refresh and bearer latency on a SQLite store holding
// 1,000,000 users and 1,000,000 sessions against one holding 1,000 of each, same server, same env.
// The app's own migrations create each store (the built server is started once on it), then
// bench/lib/scale-seed.js fills it in bulk. The stores are measured one at a time, in alternating
// passes (1k, 1M, 1k, 1M), so drift in the machine's load falls on both. Everything lives in temp
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
const PASSES = 2;
// Cost 4, the lowest the server accepts: at the default 12 one hash takes ~250 ms here and would
// hide the store's share of a login entirely. The seeded hash has the server's cost, so a login
// never rehashes (which would add a write).
const HASH_COST = 4;
const PASSWORD = 'bench password of decent length';
// Per pass and store. Each login makes a session; each refresh uses one of those once.
// Warm-up and measured users are distinct and fit in the 1k store.
const WARMUP = { logins: 50, bearerS: 1 };
const LOGIN = { sample: 500, connections: 4 };
const REFRESH = { connections: 4 };
// The bearer path reuses a user and ban lookup for 1 s (src/common/recent-cache.ts). The 500
// tokens of the measured logins, in turn at 300 req/s, come back to a token every ~1.7 s: every
// request reads the user from the store.
const BEARER = { connections: 4, overallRate: 300, seconds: 4 };

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

/** GET /api/user with the tokens in turn, at a fixed overall rate. */
function bearers(url, tokens, seconds) {
  let next = 0;
  return run({
    url,
    connections: BEARER.connections,
    overallRate: BEARER.overallRate,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        path: '/api/user',
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } }),
      },
    ],
  });
}

/** One pass on one store: start the server, warm up, measure the three paths, stop. */
async function measure(store, env) {
  const server = await startServer({ ...env, DATA_DIR: store.dir });
  // startServer made a data dir of its own, unused here.
  fs.rmSync(server.dataDir, { recursive: true, force: true });
  try {
    const picked = sample(store.count, WARMUP.logins + LOGIN.sample).map(emailOf);
    const warm = await logins(server.url, picked.slice(0, WARMUP.logins), LOGIN.connections);
    await refreshes(
      server.url,
      warm.signedIn.map((s) => s.refresh),
      REFRESH.connections,
    );
    await bearers(
      server.url,
      warm.signedIn.map((s) => s.token),
      WARMUP.bearerS,
    );

    const login = await logins(server.url, picked.slice(WARMUP.logins), LOGIN.connections);
    const bearer = await bearers(
      server.url,
      login.signedIn.map((s) => s.token),
      BEARER.seconds,
    );
    const refresh = await refreshes(
      server.url,
      login.signedIn.map((s) => s.refresh),
      REFRESH.connections,
    );
    return { bootMs: server.coldStartMs, login: login.result, refresh, bearer, tokens: login.signedIn.length };
  } finally {
    await server.stop();
  }
}

module.exports = async function scaleBench() {
  const meter = startCpuMeter();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-scale-'));
  const cleanup = () => fs.rmSync(root, { recursive: true, force: true });
  // A Ctrl-C would skip the finally below; the stores are up to a GiB each.
  const onSignal = () => {
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
      fs.rmSync(schema.dataDir, { recursive: true, force: true });
      await schema.stop();
      const seeded = seedStore(path.join(dir, 'gatehouse.db'), { count, passwordHash });
      const mib = fs.readdirSync(dir).reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0) / 2 ** 20;
      rows.push(row(`seeding ${count} users + ${count} sessions (store ${label}), store size ${mib.toFixed(0)} MiB`, seeded.seconds.toFixed(1), 's'));
      stores.push({ label, count, dir, passes: [] });
    }
    for (let pass = 0; pass < PASSES; pass += 1) {
      for (const store of stores) store.passes.push(await measure(store, env));
    }

    const figures = stores.map((store) => ({
      label: store.label,
      bootMs: store.passes.map((p) => p.bootMs),
      login: merge(store.passes.map((p) => p.login)),
      refresh: merge(store.passes.map((p) => p.refresh)),
      bearer: merge(store.passes.map((p) => p.bearer)),
      tokens: store.passes.map((p) => p.tokens),
    }));
    const [small, large] = figures;
    for (const f of figures) {
      rows.push(row(`cold start to first 200, store ${f.label} (each pass)`, f.bootMs.map((v) => v.toFixed(0)).join(' / '), 'ms'));
    }
    const ops = [
      ['login', `POST /api/auth/login, ${LOGIN.sample} distinct seeded users per pass, ${LOGIN.connections} conns, bcrypt cost ${HASH_COST}`],
      ['refresh', `POST /api/auth/refresh, each login's cookie once, ${REFRESH.connections} conns`],
      [
        'bearer',
        `GET /api/user, ${LOGIN.sample} distinct users' tokens in turn at ${BEARER.overallRate} req/s (each reused after > 1 s: no recent-lookup hits)`,
      ],
    ];
    for (const [op, label] of ops) {
      for (const f of figures) {
        const r = f[op];
        rows.push(
          row(
            `${label}; store ${f.label} p50 / p99 (n=${r.latencies.length})`,
            `${ms(percentile(r.latencies, 50))} / ${ms(percentile(r.latencies, 99))}`,
            'ms',
          ),
        );
      }
      rows.push(targetRow(`${op} p50, 1M / 1k store`, percentile(large[op].latencies, 50) / percentile(small[op].latencies, 50), '<=', 1.2));
      rows.push(
        row(
          `${op} p99, 1M / 1k store (not a target, see docs/benchmarks.md)`,
          (percentile(large[op].latencies, 99) / percentile(small[op].latencies, 99)).toFixed(2),
          'x',
        ),
      );
    }
    const failures = figures.map((f) => `${f.label}: ${f.login.failures}/${f.refresh.failures}/${f.bearer.failures}`).join(', ');
    rows.push(row('failed requests, login/refresh/bearer', failures, 'requests'));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cleanup();
  }
  rows.push(...noiseRows(meter));
  return rows;
};
