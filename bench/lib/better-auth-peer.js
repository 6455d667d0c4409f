// Better Auth as a bench-only peer (issue 17, target 1): starts bench/lib/better-auth-server.js in
// its own process on loopback, registers one user and signs it in over HTTP like any client, and
// keeps the session cookie Better Auth set at sign-in (`better-auth.session_token`, the signed
// session token; the `bearer` plugin is not used, so get-session takes the path Better Auth's own
// clients take).
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { startScript } = require('./server-process');

const COOKIE = 'better-auth.session_token';

/** The installed (pinned) version, for the row labels: the package's exports do not include package.json. */
function betterAuthVersion() {
  const manifest = path.join(path.dirname(require.resolve('better-auth')), '..', 'package.json');
  return JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
}

async function postJson(url, body) {
  const res = await fetch(url, {
    method: 'POST',
    // fetch marks its requests as a browser's (Sec-Fetch-Mode), so Better Auth's CSRF check wants
    // the Origin a same-origin page would send.
    headers: { 'content-type': 'application/json', origin: new URL(url).origin },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url} → ${res.status} ${text}`);
  return { res, body: JSON.parse(text) };
}

/** The `name=value` pair of the session cookie in a response's Set-Cookie headers. */
function sessionCookie(res) {
  const found = res.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`));
  if (!found) throw new Error(`Better Auth sign-in set no ${COOKIE} cookie`);
  return found.split(';')[0];
}

/**
 * `get-session` answers 200 with the body `null` when the cookie is missing or rejected, so a
 * status check alone would count failures as successes: the session must name the signed-in user.
 */
function isSessionOf(userId) {
  return (body) => {
    try {
      const parsed = JSON.parse(body);
      return parsed?.user?.id === userId && parsed?.session?.userId === userId;
    } catch {
      return false;
    }
  };
}

/**
 * Starts the peer and signs one user in. Returns the peer's base URL, the get-session URL, the
 * headers that carry the session, the response check, and stop/rssMiB like startScript's helpers.
 */
async function startBetterAuthPeer({ email, password, name }) {
  const peer = await startScript(path.join(__dirname, 'better-auth-server.js'), {
    env: { NODE_ENV: 'production', BETTER_AUTH_SECRET: randomBytes(32).toString('hex') },
  });
  try {
    await postJson(`${peer.url}/api/auth/sign-up/email`, { email, password, name });
    const signIn = await postJson(`${peer.url}/api/auth/sign-in/email`, { email, password });
    const userId = signIn.body.user.id;
    const headers = { cookie: sessionCookie(signIn.res) };
    const url = `${peer.url}/api/auth/get-session`;
    const verifyBody = isSessionOf(userId);
    // One checked call before any load, so a peer that does not return the session fails loudly.
    const check = await fetch(url, { headers, signal: AbortSignal.timeout(15_000) });
    const text = await check.text();
    if (check.status !== 200 || !verifyBody(text)) throw new Error(`Better Auth get-session → ${check.status} ${text}`);
    return { ...peer, sessionUrl: url, headers, userId, verifyBody, version: betterAuthVersion() };
  } catch (error) {
    await peer.stop();
    throw error;
  }
}

module.exports = { startBetterAuthPeer, betterAuthVersion };
