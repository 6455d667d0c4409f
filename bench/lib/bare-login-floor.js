// The login storm's HTTP floor: the least a server can do to answer a password sign-in the way
// Gatehouse does, on bare Fastify (the faster bare stack here). It reads the JSON body, finds the
// user by email in SQLite, checks the password with bcrypt.compare on libuv's pool (the pool size
// comes from UV_THREADPOOL_SIZE, as for the raw rate), stores a refresh session (a hashed random
// token, committed with synchronous=FULL like Gatehouse's default), signs an HS256 access token with
// a KeyObject, and answers the token and the user with the refresh cookie. Set against the raw
// compare rate it shows what any HTTP login server reaches on this machine, with the load
// generator in the bench process beside it; Gatehouse is then read against that, too.
//
// Usage: node bare-login-floor.js <port>, with JWT_SECRET, FLOOR_EMAILS (JSON array), FLOOR_PASSWORD
// and FLOOR_COST in the env. Prints READY once listening.
const { createHash, createSecretKey, randomBytes, randomUUID } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const bcrypt = require('bcrypt');
const Database = require('better-sqlite3');
const jwt = require('jsonwebtoken');

const secret = createSecretKey(Buffer.from(process.env.JWT_SECRET, 'utf8'));
const emails = JSON.parse(process.env.FLOOR_EMAILS);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-login-floor-'));
const db = new Database(path.join(dir, 'floor.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(`
  CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT, password TEXT NOT NULL, role TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, expires_at INTEGER NOT NULL, created_at INTEGER NOT NULL);
  CREATE INDEX sessions_user ON sessions (user_id);
`);
const byEmail = db.prepare('SELECT * FROM users WHERE email = ?');
const insertSession = db.prepare('INSERT INTO sessions (id, user_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?)');

async function login(body) {
  const email = typeof body?.email === 'string' ? body.email.toLowerCase() : '';
  const password = typeof body?.password === 'string' ? body.password : '';
  const user = byEmail.get(email);
  if (!user || !(await bcrypt.compare(password, user.password))) return null;
  const refresh = randomBytes(32).toString('base64url');
  const now = Date.now();
  insertSession.run(randomUUID(), user.id, createHash('sha256').update(refresh).digest('hex'), now + 7 * 86_400_000, now);
  const token = jwt.sign({ id: user.id, email: user.email, role: user.role }, secret, {
    algorithm: 'HS256',
    expiresIn: 900,
    audience: 'gatehouse:access',
    header: { alg: 'HS256', typ: 'at+jwt' },
  });
  return { token, refresh, user: { id: user.id, email: user.email, name: user.name, role: user.role, createdAt: new Date(user.created_at).toISOString() } };
}

async function main() {
  const hash = await bcrypt.hash(process.env.FLOOR_PASSWORD, Number(process.env.FLOOR_COST));
  const add = db.prepare('INSERT INTO users (id, email, name, password, role, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  for (const email of emails) add.run(randomUUID(), email.toLowerCase(), 'Bench User', hash, 'USER', Date.now());
  const app = require('fastify')();
  app.post('/api/auth/login', async (req, reply) => {
    const outcome = await login(req.body);
    if (!outcome) return reply.code(401).send({ message: 'Email or password is incorrect' });
    reply.header('set-cookie', `refreshToken=${outcome.refresh}; Path=/api/auth; HttpOnly; SameSite=Strict; Max-Age=604800`);
    return { token: outcome.token, user: outcome.user };
  });
  await app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
  process.stdout.write('READY\n');
  process.on('SIGTERM', () =>
    app.close().then(() => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    }),
  );
}

main().catch((error) => {
  process.stderr.write(`bare-login-floor: ${error.stack || error}\n`);
  process.exit(1);
});
