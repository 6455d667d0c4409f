// Authentication figures: bearer-authenticated GET /api/user against a bare Express + jsonwebtoken
// + better-sqlite3 baseline doing the same work and against Better Auth's get-session (a pinned
// bench-only peer, bench/lib/better-auth-peer.js), and a password-login storm against the raw bcrypt
// rate of this machine, with the bearer latency other users see while the storm runs; the same storm
// against a bare HTTP login server (bench/lib/bare-login-floor.js) shows what any server reaches here.
// Targets are reported, not enforced: a slow or shared box must not fail `npm run bench`.
const { randomBytes } = require('node:crypto');
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { noiseRows, startCpuMeter } = require('./lib/cpu-meter');
const { startServer, startScript } = require('./lib/server-process');
const { startBetterAuthPeer } = require('./lib/better-auth-peer');
const { run, merge, rate, percentile } = require('./lib/load');
const { row, targetRow } = require('./lib/rows');

const HASH_COST = 10;
// The server and the raw-rate probe get the same pool, so the probe measures the server's ceiling.
const THREADPOOL = Number(process.env.UV_THREADPOOL_SIZE) || 4;

// Each target gets 5 s in total, in rounds taken in turn, so that a burst of load from elsewhere
// on the machine (or thermal drift) hits all of them instead of skewing one ratio.
// Every target gets the same 3 s warm-up: a large app's JIT and heap take a few thousand requests to
// settle, the floors far fewer; steady state is what is compared.
const BEARER = { connections: 20, warmupS: 3, roundS: 2.5, rounds: 3 };
// Split before and after the storm, like the idle probe, for the same reason as the rounds above.
const RAW_HASH_MS = 2500;
const STORM = { users: 8, inFlight: 16, durationMs: 8000, maxLogins: 5000 };
// Rate-limited so the probe stays light: each bearer request costs the server a few ms of CPU
// on this class of machine, and a closed loop would compete with the storm instead of observing it.
// Idle samples are taken before and after the storm so that drift does not land on one side only.
const PROBE = { connections: 2, overallRate: 40, idleS: 3, stormS: 6, startAfterMs: 1000 };

const PASSWORD = 'bench password of decent length';

async function postJson(url, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url} → ${res.status} ${text}`);
  return JSON.parse(text);
}

async function registerAndLogin(baseUrl, email) {
  await postJson(`${baseUrl}/api/auth/register`, { name: 'Bench User', email, password: PASSWORD, confirm_password: PASSWORD });
  return postJson(`${baseUrl}/api/auth/login`, { email, password: PASSWORD });
}

function bearerLoad(url, token, options) {
  return run({ url: `${url}/api/user`, headers: { authorization: `Bearer ${token}` }, ...options });
}

/** Settings of the "metrics and audit on" server: metrics served, every audit event also on stdout. */
const OBSERVED_ENV = { METRICS_ENABLED: 'true', METRICS_TOKEN: randomBytes(16).toString('hex'), AUDIT_STDOUT: 'true' };

/** Like throughput() below, for Gatehouse servers each with its own token (bodies not checked). */
async function bearerThroughputEach(urls, tokens) {
  for (const [i, url] of urls.entries()) await bearerLoad(url, tokens[i], { connections: BEARER.connections, duration: BEARER.warmupS });
  const runs = urls.map(() => []);
  for (let round = 0; round < BEARER.rounds; round += 1) {
    for (const [i, url] of urls.entries()) runs[i].push(await bearerLoad(url, tokens[i], { connections: BEARER.connections, duration: BEARER.roundS }));
  }
  return runs.map(merge);
}

/** Gatehouse's (or the floor's) answer to GET /api/user must be the signed-in user. */
function isUser(userId) {
  return (body) => {
    try {
      return JSON.parse(body).id === userId;
    } catch {
      return false;
    }
  };
}

/**
 * Throughput of each target ({ url, headers, verifyBody }): a warm-up (JIT) each, then interleaved
 * rounds. Every target's bodies are checked, so the client spends the same work on each.
 */
async function throughput(targets) {
  const load = (t, duration) => run({ url: t.url, headers: t.headers, verifyBody: t.verifyBody, connections: BEARER.connections, duration });
  for (const target of targets) await load(target, BEARER.warmupS);
  const runs = targets.map(() => []);
  for (let round = 0; round < BEARER.rounds; round += 1) {
    for (const [i, target] of targets.entries()) runs[i].push(await load(target, BEARER.roundS));
  }
  return runs.map(merge);
}

function rawCompareRate() {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(__dirname, 'lib/bcrypt-rate.js'), String(HASH_COST), String(THREADPOOL), String(RAW_HASH_MS)],
      { env: { PATH: process.env.PATH, UV_THREADPOOL_SIZE: String(THREADPOOL) }, timeout: RAW_HASH_MS + 15_000 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))),
    );
  });
}

/** Bounded in time and count: `inFlight` concurrent logins, round-robin over the users. */
async function loginStorm(baseUrl, emails) {
  let issued = 0;
  let ok = 0;
  let failed = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(STORM.durationMs) * 1_000_000n;
  const worker = async () => {
    while (process.hrtime.bigint() < deadline && issued < STORM.maxLogins) {
      const email = emails[issued++ % emails.length];
      try {
        const res = await fetch(`${baseUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: PASSWORD }),
          signal: AbortSignal.timeout(15_000),
        });
        await res.arrayBuffer();
        if (res.status === 200) ok += 1;
        else failed += 1;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: STORM.inFlight }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { ok, failed, seconds, perSecond: ok / seconds };
}

function probe(url, token, duration) {
  return bearerLoad(url, token, { connections: PROBE.connections, overallRate: PROBE.overallRate, duration });
}

const ms = (v) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');

module.exports = async function authBench() {
  const meter = startCpuMeter();
  const jwtSecret = randomBytes(32).toString('hex');
  const server = await startServer({
    ALLOW_REGISTRATION: 'true',
    PASSWORD_HASH_COST: String(HASH_COST),
    LOG_LEVEL: 'warn',
    JWT_SECRET: jwtSecret,
    UV_THREADPOOL_SIZE: String(THREADPOOL),
    // Registering the storm users and the storm itself come from one IP; the limiters would
    // otherwise turn the storm into a 429 benchmark.
    LOGIN_MAX: '1000000',
    REGISTER_MAX: '1000000',
  });
  const helpers = [];
  const servers = [];
  let rows;
  try {
    // (a) bearer throughput against the baselines, all up at once so rounds can alternate:
    // Gatehouse, the bare floor, and Better Auth's get-session (the peer) with its own session.
    const login = await registerAndLogin(server.url, 'bench-bearer@example.com');
    const baselineEnv = { JWT_SECRET: jwtSecret, BASELINE_USER: JSON.stringify(login.user) };
    const script = path.join(__dirname, 'lib/bare-auth-baseline.js');
    helpers.push(await startScript(script, { env: baselineEnv }));
    helpers.push(await startScript(script, { args: ['--nest'], env: baselineEnv }));
    helpers.push(await startScript(script, { args: ['--fastify'], env: baselineEnv }));
    const betterAuth = await startBetterAuthPeer({ email: 'bench-bearer@example.com', password: PASSWORD, name: 'Bench User' });
    helpers.push(betterAuth);
    const bearer = { authorization: `Bearer ${login.token}` };
    const [gate, base, nestBase, fastifyBase, peer] = await throughput([
      { url: `${server.url}/api/user`, headers: bearer, verifyBody: isUser(login.user.id) },
      { url: `${helpers[0].url}/api/user`, headers: bearer, verifyBody: isUser(login.user.id) },
      { url: `${helpers[1].url}/api/user`, headers: bearer, verifyBody: isUser(login.user.id) },
      { url: `${helpers[2].url}/api/user`, headers: bearer, verifyBody: isUser(login.user.id) },
      { url: betterAuth.sessionUrl, headers: betterAuth.headers, verifyBody: betterAuth.verifyBody },
    ]);
    // Emptied here so that the finally below does not stop them a second time.
    await Promise.all(helpers.splice(0).map((h) => h.stop()));

    // (a') the same bearer load with metrics (request counter and histogram) and the audit copy
    // to stdout on, against the server above with both off, in alternating rounds (issue 22).
    const observed = await startServer({
      ...OBSERVED_ENV,
      ALLOW_REGISTRATION: 'true',
      PASSWORD_HASH_COST: String(HASH_COST),
      JWT_SECRET: jwtSecret,
      UV_THREADPOOL_SIZE: String(THREADPOOL),
    });
    servers.push(observed);
    const observedLogin = await registerAndLogin(observed.url, 'bench-bearer@example.com');
    const [off, on] = await bearerThroughputEach([server.url, observed.url], [login.token, observedLogin.token]);
    const scraped = await fetch(`${observed.url}/metrics`, { headers: { authorization: `Bearer ${OBSERVED_ENV.METRICS_TOKEN}` } }).then((r) => r.text());
    const counted = Number(/gatehouse_http_requests_total\{method="GET",route="\/api\/user",status="200"\} (\d+)/.exec(scraped)?.[1] ?? NaN);
    await observed.stop();
    servers.splice(servers.indexOf(observed), 1);

    // (b) login storm against the raw hash rate, with a light bearer probe before, during, after
    const rawBefore = await rawCompareRate();
    const emails = Array.from({ length: STORM.users }, (_, i) => `bench-storm-${i}@example.com`);
    await Promise.all(emails.map((email) => registerAndLogin(server.url, email)));
    const idleBefore = await probe(server.url, login.token, PROBE.idleS);
    const stormRun = loginStorm(server.url, emails);
    await new Promise((r) => setTimeout(r, PROBE.startAfterMs));
    const during = await probe(server.url, login.token, PROBE.stormS);
    const storm = await stormRun;
    const idle = merge([idleBefore, await probe(server.url, login.token, PROBE.idleS)]);
    const rawAfter = await rawCompareRate();
    const raw = { perSecond: (rawBefore.compares + rawAfter.compares) / (rawBefore.seconds + rawAfter.seconds) };
    // (b') the same storm against a bare HTTP login server doing the same work (information, not a
    // target): the raw rate has no HTTP, no store and no load generator beside it; this floor has all three.
    const loginFloor = await startScript(path.join(__dirname, 'lib/bare-login-floor.js'), {
      env: {
        JWT_SECRET: jwtSecret,
        FLOOR_EMAILS: JSON.stringify(emails),
        FLOOR_PASSWORD: PASSWORD,
        FLOOR_COST: String(HASH_COST),
        UV_THREADPOOL_SIZE: String(THREADPOOL),
      },
    });
    helpers.push(loginFloor);
    const floorStorm = await loginStorm(loginFloor.url, emails);
    await Promise.all(helpers.splice(0).map((h) => h.stop()));

    const idleP99 = percentile(idle.latencies, 99);
    const stormP99 = percentile(during.latencies, 99);
    const seconds = BEARER.rounds * BEARER.roundS;
    rows = [
      row(`GET /api/user (bearer) throughput, gatehouse (${BEARER.connections} conns, ${seconds}s)`, rate(gate).toFixed(0), 'req/s'),
      row('GET /api/user p99 latency, gatehouse', ms(percentile(gate.latencies, 99)), 'ms'),
      row('same work, bare floor (Express + jsonwebtoken with a KeyObject + better-sqlite3)', rate(base).toFixed(0), 'req/s'),
      row('same work p99 latency, bare floor', ms(percentile(base.latencies, 99)), 'ms'),
      targetRow('bearer throughput, gatehouse / bare floor', rate(gate) / rate(base), '>=', 0.8),
      targetRow('bearer p99, gatehouse / bare floor', percentile(gate.latencies, 99) / percentile(base.latencies, 99), '<=', 1.5),
      row('failed bearer requests (gatehouse / bare floor)', `${gate.failures}/${base.failures}`, 'requests'),
      // Not targets: the floor is bare Express; Gatehouse runs on Fastify, so the same work
      // on bare Fastify, and in a minimal Nest-on-Fastify app (the framework ceiling), are shown
      // beside it, so the ratio above is not read as distance from this stack's own ceiling.
      row('same work, bare Fastify floor (not the issue floor; information)', rate(fastifyBase).toFixed(0), 'req/s'),
      row('  gatehouse / bare Fastify floor', (rate(gate) / rate(fastifyBase)).toFixed(2), 'x'),
      row('same work in a minimal Nest-on-Fastify app (one controller, no hooks or guards)', rate(nestBase).toFixed(0), 'req/s'),
      row('  minimal Nest-on-Fastify / bare Fastify floor (the framework ceiling)', (rate(nestBase) / rate(fastifyBase)).toFixed(2), 'x'),
      row('  gatehouse / minimal Nest-on-Fastify', (rate(gate) / rate(nestBase)).toFixed(2), 'x'),
      row(
        `Better Auth ${betterAuth.version} GET /api/auth/get-session throughput (session cookie, cookie cache off, same load)`,
        rate(peer).toFixed(0),
        'req/s',
      ),
      row('get-session p99 latency, Better Auth', ms(percentile(peer.latencies, 99)), 'ms'),
      targetRow('bearer throughput, gatehouse / Better Auth get-session', rate(gate) / rate(peer), '>=', 3),
      row('failed get-session requests (not 200, or no session of the user in the body)', peer.failures, 'requests'),
      row('GET /api/user throughput, metrics and audit off / on', `${rate(off).toFixed(0)} / ${rate(on).toFixed(0)}`, 'req/s'),
      row('GET /api/user p99 latency, metrics and audit off / on', `${ms(percentile(off.latencies, 99))} / ${ms(percentile(on.latencies, 99))}`, 'ms'),
      targetRow('bearer throughput, metrics and audit on / off', rate(on) / rate(off), '>=', 0.95),
      row('GET /api/user requests counted by the metric (on, warm-up included)', counted, 'requests'),
      row(`raw bcrypt.compare rate, cost ${HASH_COST}, ${THREADPOOL} in parallel`, raw.perSecond.toFixed(1), 'compares/s'),
      row(`login storm, ${STORM.users} users, ${STORM.inFlight} in flight, ${storm.seconds.toFixed(1)}s`, storm.perSecond.toFixed(1), 'logins/s'),
      row('failed logins during the storm', storm.failed, 'logins'),
      targetRow('login storm / raw compare rate', storm.perSecond / raw.perSecond, '>=', 0.95),
      row(
        'same storm, bare Fastify login floor (bcrypt.compare, SQLite lookup and FULL session insert, HS256 sign)',
        `${floorStorm.perSecond.toFixed(1)} (${floorStorm.failed} failed)`,
        'logins/s',
      ),
      row('  bare login floor / raw compare rate (what any HTTP login server reaches here)', (floorStorm.perSecond / raw.perSecond).toFixed(2), 'x'),
      row('  gatehouse storm / bare login floor storm', (storm.perSecond / floorStorm.perSecond).toFixed(2), 'x'),
      row(
        `GET /api/user p50 / p99, idle (${PROBE.connections} conns at ${PROBE.overallRate} req/s, n=${idle.latencies.length})`,
        `${ms(percentile(idle.latencies, 50))} / ${ms(idleP99)}`,
        'ms',
      ),
      row(
        `GET /api/user p50 / p99 during the storm (same load, n=${during.latencies.length})`,
        `${ms(percentile(during.latencies, 50))} / ${ms(stormP99)}`,
        'ms',
      ),
      targetRow('bearer p99 during storm / idle', stormP99 / idleP99, '<=', 2),
      row('failed probe requests (idle / storm)', `${idle.failures}/${during.failures}`, 'requests'),
      row('RSS after the storm', server.rssMiB().toFixed(1), 'MiB'),
    ];
  } finally {
    await Promise.all(helpers.map((h) => h.stop()));
    await Promise.all(servers.map((s) => s.stop().then(() => fs.rmSync(s.dataDir, { recursive: true, force: true }))));
    await server.stop();
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
  rows.push(...noiseRows(meter));
  return rows;
};
