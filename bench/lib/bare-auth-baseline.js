// Baseline for the bearer benchmark: the least an Express (or, with --fastify, a Fastify) app can do
// to answer GET /api/user the way Gatehouse does (verify an HS256 access token with the same checks, look the user up by id in
// SQLite, return the public JSON user), so the ratio isolates what the framework and app shell add.
// Runs in its own process for the same reason as bare-express.js.
//
// Usage: node bare-auth-baseline.js <port>, with JWT_SECRET and BASELINE_USER (the public user JSON
// from Gatehouse's login, so tokens minted by Gatehouse resolve to a row here) in the env. The secret
// is a crypto KeyObject made once, as Gatehouse holds it: handed over as a string, jsonwebtoken 9
// first tries to parse it as a PEM public key, and under OpenSSL 3 that failing parse costs ~0.7 ms a
// call. A baseline must be the best bare implementation of the same work, never a handicapped one.
//
// With --rs256 (PUBLIC_KEY_PEM, ISSUER, CLIENT_ID and BASELINE_OPENID_SUB in the env) it verifies an
// RS256 IdP token with a key imported once instead, and finds the user by its OpenID subject: the
// raw RS256-verify baseline of the OpenID benchmark.
const { createPublicKey, createSecretKey } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Database = require('better-sqlite3');
const express = require('express');
const jwt = require('jsonwebtoken');

const AUDIENCE = 'gatehouse:access';
const TYP = 'at+jwt';

const seed = JSON.parse(process.env.BASELINE_USER || 'null');
if (!process.env.JWT_SECRET || !seed) {
  process.stderr.write('bare-auth-baseline: JWT_SECRET and BASELINE_USER are required\n');
  process.exit(2);
}
const rs256 = process.argv.includes('--rs256');
const publicKey = rs256 ? createPublicKey(process.env.PUBLIC_KEY_PEM) : null;
const secret = createSecretKey(Buffer.from(process.env.JWT_SECRET, 'utf8'));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-baseline-'));
const db = new Database(path.join(dir, 'baseline.sqlite'));
// Same pragmas as Gatehouse's SQLite adapter, so reads pay the same WAL bookkeeping.
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
// The row shape of Gatehouse's users table, so the lookup reads and maps a row of the same width.
db.exec(`
  CREATE TABLE users (
    id TEXT PRIMARY KEY, email TEXT NOT NULL, name TEXT, username TEXT, password TEXT,
    email_verified INTEGER NOT NULL DEFAULT 0, avatar TEXT, provider TEXT NOT NULL, role TEXT NOT NULL,
    google_id TEXT, facebook_id TEXT, github_id TEXT, discord_id TEXT, openid_id TEXT, openid_issuer TEXT,
    id_on_the_source TEXT, two_factor_enabled INTEGER NOT NULL DEFAULT 0, terms_accepted INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX users_email_uq ON users (email);
`);
db.prepare(
  `INSERT INTO users (id, openid_id, email, name, username, password, email_verified, avatar, provider, role, created_at, updated_at)
   VALUES (@id, @openid_id, @email, @name, @username, @password, @email_verified, @avatar, @provider, @role, @created_at, @updated_at)`,
).run({
  id: seed.id,
  openid_id: process.env.BASELINE_OPENID_SUB ?? null,
  email: seed.email,
  name: seed.name ?? null,
  username: seed.username ?? null,
  // A bcrypt-length value, so the row is as wide as a real one.
  password: '$2b$10$' + 'x'.repeat(53),
  email_verified: seed.emailVerified ? 1 : 0,
  avatar: seed.avatar ?? null,
  provider: seed.provider ?? 'local',
  role: seed.role ?? 'USER',
  created_at: Date.parse(seed.createdAt) || Date.now(),
  updated_at: Date.parse(seed.updatedAt) || Date.now(),
});
const byId = db.prepare('SELECT * FROM users WHERE id = ?');
const byOpenid = db.prepare('SELECT * FROM users WHERE openid_id = ?');

/** The work itself, framework-free: the public user for a valid bearer header, or null. */
function whoAmI(authorization) {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization || '');
  if (!match) return null;
  let decoded;
  try {
    decoded = rs256
      ? jwt.verify(match[1], publicKey, { algorithms: ['RS256'], audience: process.env.CLIENT_ID, issuer: process.env.ISSUER, complete: true })
      : jwt.verify(match[1], secret, { algorithms: ['HS256'], audience: AUDIENCE, complete: true });
  } catch {
    return null;
  }
  if (rs256 ? typeof decoded.payload.sub !== 'string' : decoded.header.typ !== TYP || typeof decoded.payload.id !== 'string') return null;
  const row = rs256 ? byOpenid.get(decoded.payload.sub) : byId.get(decoded.payload.id);
  if (!row) return null;
  return {
    _id: row.id,
    id: row.id,
    name: row.name,
    username: row.username,
    email: row.email,
    emailVerified: row.email_verified !== 0,
    avatar: row.avatar,
    provider: row.provider,
    role: row.role,
    plugins: [],
    twoFactorEnabled: row.two_factor_enabled !== 0,
    termsAccepted: row.terms_accepted !== 0,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function expressApp() {
  const app = express();
  app.get('/api/user', (req, res) => {
    const user = whoAmI(req.headers.authorization);
    if (user) res.json(user);
    else res.status(401).json({ message: 'Unauthorized' });
  });
  return app;
}

/** --fastify: the same work on bare Fastify, the HTTP stack Gatehouse runs on. */
function fastifyApp() {
  const app = require('fastify')();
  app.get('/api/user', (req, reply) => {
    const user = whoAmI(req.headers.authorization);
    if (user) return user;
    reply.code(401);
    return { message: 'Unauthorized' };
  });
  return app;
}

/**
 * --nest: the same work in the least a Nest app on Fastify can be (one controller, no hooks,
 * guards, pipes or logging). Set against the floors, it shows what the framework alone costs:
 * the ceiling any Nest service on this HTTP stack can reach on this route.
 */
async function nestApp() {
  require('reflect-metadata');
  const { Controller, Get, Headers, Module, UnauthorizedException } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  class UserController {
    user(authorization) {
      const user = whoAmI(authorization);
      if (!user) throw new UnauthorizedException();
      return user;
    }
  }
  Headers('authorization')(UserController.prototype, 'user', 0);
  Get('user')(UserController.prototype, 'user', Object.getOwnPropertyDescriptor(UserController.prototype, 'user'));
  Controller('api')(UserController);
  class FloorModule {}
  Module({ controllers: [UserController] })(FloorModule);
  const { FastifyAdapter } = require('@nestjs/platform-fastify');
  const app = await NestFactory.create(FloorModule, new FastifyAdapter({ skipMiddie: true }), { logger: false, bodyParser: false });
  await app.init();
  return app.getHttpAdapter().getInstance();
}

async function main() {
  const port = Number(process.argv[2]);
  const stopped = () => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  if (process.argv.includes('--nest') || process.argv.includes('--fastify')) {
    const app = process.argv.includes('--nest') ? await nestApp() : fastifyApp();
    await app.listen({ port, host: '127.0.0.1' });
    process.stdout.write('READY\n');
    process.on('SIGTERM', () => app.close().then(stopped));
    return;
  }
  const server = expressApp().listen(port, '127.0.0.1', () => process.stdout.write('READY\n'));
  process.on('SIGTERM', () => server.close(stopped));
}

main().catch((error) => {
  process.stderr.write(`bare-auth-baseline: ${error.stack || error}\n`);
  process.exit(1);
});
