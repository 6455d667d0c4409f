// Password-reset request latency with the SMTP server up, down (connection refused) and slow
// (2 s per message), and the outbox catching up once a downed server returns. The reset request
// only queues the mail, so its latency should not depend on SMTP at all (RL-04, EN-03).
// Loopback only; each phase is bounded in requests and time.
const fs = require('node:fs');
const { noiseRows, startCpuMeter } = require('./lib/cpu-meter');
const { startServer, freePort } = require('./lib/server-process');
const { startSmtpSink } = require('./lib/smtp-sink');
const { percentile } = require('./lib/load');
const { row, targetRow } = require('./lib/rows');

const USERS = 20;
// Sequential requests (one in flight) measure the request itself, not queueing behind others.
// The three servers run side by side and take turns in rounds, so a burst of load from elsewhere
// on the machine hits all of them instead of skewing one.
const REQUESTS = { warmup: 40, perRound: 50, rounds: 6, inFlight: 1, maxMs: 20_000 };
const DRAIN_TIMEOUT_MS = 30_000;
const PASSWORD = 'bench password of decent length';

function mailEnv(port) {
  return {
    ALLOW_REGISTRATION: 'true',
    ALLOW_PASSWORD_RESET: 'true',
    ALLOW_UNVERIFIED_EMAIL_LOGIN: 'true',
    PASSWORD_HASH_COST: '4',
    LOG_LEVEL: 'silent',
    DOMAIN_CLIENT: 'http://localhost:3090',
    EMAIL_HOST: '127.0.0.1',
    EMAIL_PORT: String(port),
    EMAIL_FROM: 'bench@gatehouse.test',
    EMAIL_CONNECTION_TIMEOUT: '2',
    EMAIL_GREETING_TIMEOUT: '2',
    EMAIL_SOCKET_TIMEOUT: '5',
    MAIL_OUTBOX_POLL_INTERVAL: '200',
    MAIL_RETRY_INITIAL_DELAY: '500',
    MAIL_RETRY_MAX_DELAY: '2000',
  };
}

async function post(url, body) {
  const started = process.hrtime.bigint();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  await res.arrayBuffer();
  return { status: res.status, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** `count` reset requests, `inFlight` at a time, alternating known and unknown addresses. */
async function resetRequests(baseUrl, count) {
  const known = [];
  const unknown = [];
  let issued = 0;
  let failed = 0;
  const deadline = Date.now() + REQUESTS.maxMs;
  const worker = async () => {
    while (issued < count && Date.now() < deadline) {
      const i = issued++;
      const isKnown = i % 2 === 0;
      const email = isKnown ? `bench-${i % USERS}@example.com` : `nobody-${i}@example.com`;
      const { status, ms } = await post(`${baseUrl}/api/auth/requestPasswordReset`, { email });
      if (status !== 200) failed += 1;
      else (isKnown ? known : unknown).push(ms);
    }
  };
  await Promise.all(Array.from({ length: REQUESTS.inFlight }, worker));
  const sort = (a) => a.sort((x, y) => x - y);
  return { known: sort(known), unknown: sort(unknown), all: sort([...known, ...unknown]), failed };
}

async function pendingMail(baseUrl) {
  const res = await fetch(`${baseUrl}/health/ready`);
  const body = await res.json();
  return body.info?.mail?.pending ?? NaN;
}

async function prepare(label, smtpPort) {
  const server = await startServer(mailEnv(smtpPort));
  try {
    for (let i = 0; i < USERS; i += 1) {
      await post(`${server.url}/api/auth/register`, { name: 'Bench User', email: `bench-${i}@example.com`, password: PASSWORD, confirm_password: PASSWORD });
    }
    await resetRequests(server.url, REQUESTS.warmup);
    return { label, server, runs: [] };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

function mergeRuns(runs) {
  const sort = (a) => a.sort((x, y) => x - y);
  return {
    known: sort(runs.flatMap((r) => r.known)),
    unknown: sort(runs.flatMap((r) => r.unknown)),
    all: sort(runs.flatMap((r) => r.all)),
    failed: runs.reduce((n, r) => n + r.failed, 0),
  };
}

/** Waits (bounded) until the outbox of a server is empty; returns seconds, or null on timeout. */
async function drain(baseUrl) {
  const started = Date.now();
  while (Date.now() - started < DRAIN_TIMEOUT_MS) {
    if ((await pendingMail(baseUrl)) === 0) return (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

const ms = (v) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const p50p99 = (sorted) => `${ms(percentile(sorted, 50))} / ${ms(percentile(sorted, 99))}`;

module.exports = async function mailBench() {
  const meter = startCpuMeter();
  const rows = [];
  const servers = [];
  const sinks = [];
  try {
    const up = await startSmtpSink();
    sinks.push(up);
    const downPort = await freePort();
    const slow = await startSmtpSink({ delayMs: 2000 });
    sinks.push(slow);

    const phases = [];
    for (const [label, port] of [
      ['SMTP up', up.port],
      ['SMTP slow (2 s per mail)', slow.port],
      ['SMTP down (refused)', downPort],
    ]) {
      const phase = await prepare(label, port);
      servers.push(phase.server);
      phases.push(phase);
    }
    for (let round = 0; round < REQUESTS.rounds; round += 1) {
      for (const phase of phases) phase.runs.push(await resetRequests(phase.server.url, REQUESTS.perRound));
    }
    for (const phase of phases) phase.result = mergeRuns(phase.runs);
    phases[0].drain = await drain(phases[0].server.url);
    for (const { label, result } of phases) {
      rows.push(row(`reset request p50 / p99, ${label} (n=${result.all.length}, ${REQUESTS.inFlight} in flight)`, p50p99(result.all), 'ms'));
      rows.push(row(`  known / unknown address p50, ${label}`, `${ms(percentile(result.known, 50))} / ${ms(percentile(result.unknown, 50))}`, 'ms'));
      rows.push(row(`  failed requests, ${label}`, result.failed, 'requests'));
    }
    const knownUnknown = percentile(phases[0].result.known, 50) / percentile(phases[0].result.unknown, 50);
    rows.push(targetRow('reset request p50, known / unknown address, SMTP up (EN-03)', knownUnknown, '<=', 1.5));
    const upP50 = percentile(phases[0].result.all, 50);
    const downP50 = percentile(phases[2].result.all, 50);
    rows.push(row('reset request p50, SMTP down / SMTP up', (downP50 / upP50).toFixed(2), 'x    (1.0 = SMTP state does not show in latency)'));

    // The downed server comes back on its port: how long the outbox takes to deliver its backlog.
    const downServer = phases[2].server;
    const backlog = await pendingMail(downServer.url);
    const returned = await startSmtpSink({ port: downPort });
    sinks.push(returned);
    const downDrain = await drain(downServer.url);
    const secs = (v) => (v === null ? `>${DRAIN_TIMEOUT_MS / 1000}` : v.toFixed(1));
    rows.push(row('SMTP up: mail delivered in total (registrations + known-address requests)', up.received, 'messages'));
    rows.push(row('SMTP up: outbox empty after the load stopped, in', secs(phases[0].drain), 's'));
    rows.push(row('SMTP down: mail queued during the outage', backlog, 'messages'));
    rows.push(row('SMTP down: backlog delivered after SMTP returned, in', secs(downDrain), `s    (${returned.received} received)`));
  } finally {
    for (const server of servers) {
      await server.stop();
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    }
    await Promise.all(sinks.map((s) => s.stop()));
  }
  rows.push(...noiseRows(meter));
  return rows;
};
