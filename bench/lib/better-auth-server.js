// Better Auth as a bench-only peer (issue 17): the child process bench/lib/better-auth-peer.js
// starts. It serves Better Auth's own handler on loopback with email and password sign-in, on an
// embedded SQLite file (better-sqlite3) in a temp dir whose tables Better Auth's migration API
// creates. Everything else is left at Better Auth's defaults for production (NODE_ENV=production),
// in particular the session cookie cache stays off (its default), so every get-session reads the
// session and its user from SQLite, as Gatehouse's bearer path reads its user.
//
// Usage: node better-auth-server.js <port>, with BETTER_AUTH_SECRET in the env. Prints READY once
// it listens. better-auth is ESM-only; this file stays CommonJS like the rest of bench/, so it is
// loaded with import().
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const Database = require('better-sqlite3');

const port = Number(process.argv[2]);
const secret = process.env.BETTER_AUTH_SECRET;
if (!port || !secret) {
  process.stderr.write('better-auth-server: <port> and BETTER_AUTH_SECRET are required\n');
  process.exit(2);
}

async function main() {
  const [{ betterAuth }, { toNodeHandler }, { getMigrations }] = await Promise.all([
    import('better-auth'),
    import('better-auth/node'),
    import('better-auth/db/migration'),
  ]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-better-auth-'));
  const db = new Database(path.join(dir, 'better-auth.sqlite'));
  // Same pragmas as Gatehouse's SQLite adapter and the bare floor, so no side pays for a
  // different journal mode.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');

  const options = {
    baseURL: `http://127.0.0.1:${port}`,
    secret,
    database: db,
    emailAndPassword: { enabled: true },
    // Loopback only: no anonymous usage report leaves the machine.
    telemetry: { enabled: false },
    // The limiter stays on (production default) so its per-request cost is paid, but with a
    // ceiling no bench reaches: every request comes from one address, and Gatehouse's own limits
    // are raised the same way by the bench. Sign-in and sign-up keep Better Auth's special rules.
    rateLimit: { enabled: true, window: 10, max: 1_000_000_000 },
    logger: { level: 'error' },
  };
  const { runMigrations } = await getMigrations(options);
  await runMigrations();

  const auth = betterAuth(options);
  const server = http.createServer(toNodeHandler(auth));
  server.listen(port, '127.0.0.1', () => process.stdout.write('READY\n'));
  process.on('SIGTERM', () => {
    server.close(() => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
    // Keep-alive sockets of the load generator would otherwise hold close() open.
    server.closeAllConnections();
  });
}

main().catch((error) => {
  process.stderr.write(`better-auth-server: ${error.stack || error}\n`);
  process.exit(1);
});
