// Durability figures (issue 16): what durable commits cost. Two instances of the real service
// run side by side in one run, SQLITE_SYNCHRONOUS=full (the default: the WAL is fsynced at every
// commit) and SQLITE_SYNCHRONOUS=normal (synced at checkpoints only), and both are driven with
// the same closed-loop load, in alternating rounds so machine noise lands on both:
// - password logins (bcrypt at cost 4, so the commit of the new session is a visible share),
// - refresh-token rotations (one compare-and-swap commit each, no hashing).
// Targets are reported, not enforced. The data directories are in os.tmpdir(); on a tmpfs fsync
// is free and the ratio says nothing, so the file system is printed too.
const { execFileSync } = require('node:child_process');
const { noiseRows, startCpuMeter } = require('./lib/cpu-meter');
const { startServer } = require('./lib/server-process');

const PASSWORD = 'bench password of decent length';
const LOAD = { workers: 8, roundMs: 2500, rounds: 2, warmupMs: 800 };

async function post(url, body, cookie) {
  const headers = { 'content-type': 'application/json' };
  if (cookie) headers.cookie = `refreshToken=${cookie}`;
  const res = await fetch(url, { method: 'POST', headers, body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(15_000) });
  await res.arrayBuffer();
  const set = res.headers.getSetCookie?.() ?? [];
  const refresh = set.map((c) => /^refreshToken=([^;]*)/.exec(c)).find(Boolean);
  return { status: res.status, refreshToken: refresh ? refresh[1] : null };
}

async function prepare(url) {
  const sessions = [];
  for (let i = 0; i < LOAD.workers; i += 1) {
    const email = `durable-${i}@example.com`;
    const reg = await post(`${url}/api/auth/register`, { name: 'Bench', email, password: PASSWORD, confirm_password: PASSWORD });
    if (reg.status !== 200) throw new Error(`register → ${reg.status}`);
    const login = await post(`${url}/api/auth/login`, { email, password: PASSWORD });
    if (login.status !== 200 || !login.refreshToken) throw new Error(`login → ${login.status}`);
    sessions.push({ email, refreshToken: login.refreshToken });
  }
  return sessions;
}

/** `workers` closed loops for `ms`; returns successful operations per second. */
async function closedLoop(ms, sessions, step) {
  let ok = 0;
  let failed = 0;
  const deadline = Date.now() + ms;
  const started = process.hrtime.bigint();
  await Promise.all(
    sessions.map(async (session) => {
      while (Date.now() < deadline) {
        if (await step(session)) ok += 1;
        else failed += 1;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (failed) throw new Error(`${failed} failed operations`);
  return { ok, seconds };
}

const login = (url) => async (s) => (await post(`${url}/api/auth/login`, { email: s.email, password: PASSWORD })).status === 200;
const refresh = (url) => async (s) => {
  const res = await post(`${url}/api/auth/refresh`, null, s.refreshToken);
  if (res.status !== 200 || !res.refreshToken) return false;
  s.refreshToken = res.refreshToken;
  return true;
};

function fileSystemOf(dir) {
  try {
    return execFileSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const row = (metric, value, unit) => ({ metric, value: String(value), unit });
function targetRow(metric, value, target) {
  return row(metric, Number.isFinite(value) ? value.toFixed(2) : 'n/a', `x    target ≥ ${target}  met: ${value >= target ? 'yes' : 'no'}`);
}

module.exports = async function durabilityBench() {
  const meter = startCpuMeter();
  const common = { ALLOW_REGISTRATION: 'true', PASSWORD_HASH_COST: '4', LOG_LEVEL: 'warn' };
  const servers = [await startServer({ ...common, SQLITE_SYNCHRONOUS: 'full' }), await startServer({ ...common, SQLITE_SYNCHRONOUS: 'normal' })];
  try {
    const sessions = await Promise.all(servers.map((s) => prepare(s.url)));
    const totals = { login: [[], []], refresh: [[], []] };
    for (const [i, s] of servers.entries()) {
      await closedLoop(LOAD.warmupMs, sessions[i], login(s.url));
      await closedLoop(LOAD.warmupMs, sessions[i], refresh(s.url));
    }
    for (let round = 0; round < LOAD.rounds; round += 1) {
      for (const kind of ['login', 'refresh']) {
        for (const [i, s] of servers.entries()) {
          totals[kind][i].push(await closedLoop(LOAD.roundMs, sessions[i], kind === 'login' ? login(s.url) : refresh(s.url)));
        }
      }
    }
    const perSecond = (runs) => runs.reduce((a, r) => a + r.ok, 0) / runs.reduce((a, r) => a + r.seconds, 0);
    const [loginFull, loginNormal] = totals.login.map(perSecond);
    const [refreshFull, refreshNormal] = totals.refresh.map(perSecond);
    return [
      row('data directory file system', fileSystemOf(servers[0].dataDir), ''),
      row('login throughput, synchronous=FULL (default)', loginFull.toFixed(1), '/s'),
      row('login throughput, synchronous=NORMAL', loginNormal.toFixed(1), '/s'),
      targetRow('login throughput, FULL / NORMAL', loginFull / loginNormal, 0.8),
      row('refresh throughput, synchronous=FULL (default)', refreshFull.toFixed(1), '/s'),
      row('refresh throughput, synchronous=NORMAL', refreshNormal.toFixed(1), '/s'),
      targetRow('refresh throughput, FULL / NORMAL', refreshFull / refreshNormal, 0.5),
      ...noiseRows(meter),
    ];
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
};
