// OpenID token reuse: bearer requests carrying the IdP's RS256 ID token, validated through the
// JWKS (jwks-rsa cache + imported keys), against a bare Express (and a bare Fastify) app doing a raw RS256 verify
// with a key imported once plus the same SQLite user lookup, in the same run. Also counts JWKS
// fetches at the provider during 10k requests after warm-up (target 0: keys come from cache).
const path = require('node:path');
const fs = require('node:fs');
const { noiseRows, startCpuMeter } = require('./lib/cpu-meter');
const { startServer, startScript } = require('./lib/server-process');
const { run, merge, rate, percentile } = require('./lib/load');
const { startMiniIdp } = require('./lib/mini-idp');
const { row, targetRow } = require('./lib/rows');

const CLIENT_ID = 'gatehouse-bench';
// Every target gets the same 3 s warm-up: a large app's JIT and heap take a few thousand requests to
// settle, the floors far fewer; steady state is what is compared.
const BEARER = { connections: 20, warmupS: 3, roundS: 2.5, rounds: 3 };
const COUNTED_REQUESTS = 10_000;

function cookiesOf(res) {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .filter((c) => !c.endsWith('='));
}

/** The browser's part of an OpenID login, by hand: start, IdP, callback, then the SPA's refresh. */
async function openidLogin(baseUrl) {
  const start = await fetch(`${baseUrl}/oauth/openid`, { redirect: 'manual' });
  const tx = cookiesOf(start).join('; ');
  const atIdp = await fetch(start.headers.get('location'), { redirect: 'manual' });
  const back = new URL(atIdp.headers.get('location'));
  const callback = await fetch(`${baseUrl}${back.pathname}${back.search}`, { redirect: 'manual', headers: { cookie: tx } });
  if (callback.status !== 302 || /error=/.test(callback.headers.get('location') ?? ''))
    throw new Error(`OpenID login failed: ${callback.status} → ${callback.headers.get('location')}`);
  const cookie = cookiesOf(callback).join('; ');
  const refresh = await fetch(`${baseUrl}/api/auth/refresh`, { method: 'POST', headers: { cookie } });
  const body = await refresh.json();
  if (!body.token) throw new Error(`refresh gave no token: ${JSON.stringify(body)}`);
  return { token: body.token, user: body.user, cookie };
}

async function localLogin(baseUrl) {
  const body = { name: 'Bench', email: 'bench-local@example.com', password: 'bench password of decent length' };
  await fetch(`${baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, confirm_password: body.password }),
  });
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: body.email, password: body.password }),
  });
  const json = await res.json();
  if (!json.token) throw new Error(`local login failed: ${res.status}`);
  return json;
}

const ms = (v) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');

module.exports = async function openidBench() {
  const meter = startCpuMeter();
  const sub = 'bench-user';
  const idp = await startMiniIdp({ clientId: CLIENT_ID, sub, email: 'bench-openid@example.com' });
  const server = await startServer({
    ALLOW_SOCIAL_LOGIN: 'true',
    ALLOW_SOCIAL_REGISTRATION: 'true',
    OPENID_CLIENT_ID: CLIENT_ID,
    OPENID_CLIENT_SECRET: 'bench-secret',
    OPENID_ISSUER: idp.issuer,
    OPENID_SESSION_SECRET: 'bench-openid-session-secret-0123456789',
    OPENID_REUSE_TOKENS: 'true',
    LOGIN_MAX: '1000000',
    ALLOW_REGISTRATION: 'true',
    PASSWORD_HASH_COST: '4',
  });
  const helpers = [];
  let rows;
  try {
    const login = await openidLogin(server.url);
    const headers = { authorization: `Bearer ${login.token}`, cookie: login.cookie };
    helpers.push(
      await startScript(path.join(__dirname, 'lib/bare-auth-baseline.js'), {
        args: ['--rs256'],
        env: {
          JWT_SECRET: 'unused-in-rs256-mode',
          BASELINE_USER: JSON.stringify(login.user),
          BASELINE_OPENID_SUB: sub,
          PUBLIC_KEY_PEM: idp.publicKeyPem,
          ISSUER: idp.issuer,
          CLIENT_ID,
        },
      }),
    );
    helpers.push(
      await startScript(path.join(__dirname, 'lib/bare-auth-baseline.js'), {
        args: ['--rs256', '--fastify'],
        env: {
          JWT_SECRET: 'unused-in-rs256-mode',
          BASELINE_USER: JSON.stringify(login.user),
          BASELINE_OPENID_SUB: sub,
          PUBLIC_KEY_PEM: idp.publicKeyPem,
          ISSUER: idp.issuer,
          CLIENT_ID,
        },
      }),
    );
    // The same server with its own HS256 access token: what the app shell costs on any bearer route.
    const local = await localLogin(server.url);
    const localHeaders = { authorization: `Bearer ${local.token}` };
    const targets = [server.url, helpers[0].url, `${server.url}#local`, helpers[1].url];
    const load = (url, options) =>
      url.endsWith('#local') ? run({ url: `${server.url}/api/user`, headers: localHeaders, ...options }) : run({ url: `${url}/api/user`, headers, ...options });
    for (const url of targets) await load(url, { connections: BEARER.connections, duration: BEARER.warmupS });

    const jwksBefore = idp.counts.jwks;
    const counted = await load(server.url, { connections: BEARER.connections, amount: COUNTED_REQUESTS });
    const jwksDuring = idp.counts.jwks - jwksBefore;

    const runs = targets.map(() => []);
    for (let round = 0; round < BEARER.rounds; round += 1) {
      for (const [i, url] of targets.entries()) runs[i].push(await load(url, { connections: BEARER.connections, duration: BEARER.roundS }));
    }
    const [gate, base, shell, fastifyBase] = runs.map(merge);
    const seconds = BEARER.rounds * BEARER.roundS;
    rows = [
      row(
        `GET /api/user with the IdP ID token (RS256 via JWKS + verified-token cache), gatehouse (${BEARER.connections} conns, ${seconds}s)`,
        rate(gate).toFixed(0),
        'req/s',
      ),
      row('p99 latency, gatehouse', ms(percentile(gate.latencies, 99)), 'ms'),
      row('same request, bare Express + raw RS256 verify (key imported once) + SQLite', rate(base).toFixed(0), 'req/s'),
      row('p99 latency, bare Express', ms(percentile(base.latencies, 99)), 'ms'),
      targetRow('RS256 bearer throughput, gatehouse / bare Express', rate(gate) / rate(base), '>=', 0.8),
      // Not the issue's baseline: the same raw handler on bare Fastify, the stack Gatehouse runs on.
      row('same request, bare Fastify + raw RS256 verify (information)', rate(fastifyBase).toFixed(0), 'req/s'),
      row('  gatehouse / bare Fastify', (rate(gate) / rate(fastifyBase)).toFixed(2), 'x'),
      row('same server, Gatehouse HS256 access token (the app shell alone)', rate(shell).toFixed(0), 'req/s'),
      row(
        'IdP RS256 bearer / Gatehouse HS256 bearer, same server',
        (rate(gate) / rate(shell)).toFixed(2),
        'x    (information: the OpenID path against the shell)',
      ),
      row('failed requests (gatehouse / bare / HS256)', `${gate.failures}/${base.failures}/${shell.failures}`, 'requests'),
      row(`requests counted for JWKS fetches, after warm-up (failed: ${counted.failures})`, counted.latencies.length + counted.failures, 'requests'),
      targetRow('JWKS fetches at the IdP during those requests', jwksDuring, '<=', 0, { digits: 0, unit: '' }),
      row('JWKS fetches in total (login and warm-up included)', idp.counts.jwks, 'fetches'),
      row('RSS after the run', server.rssMiB().toFixed(1), 'MiB'),
    ];
  } finally {
    await Promise.all(helpers.map((h) => h.stop()));
    await server.stop();
    await idp.stop();
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
  rows.push(...noiseRows(meter));
  return rows;
};
