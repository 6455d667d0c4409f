// Bulk seeding for the scale bench: users and refresh sessions written straight into a store the
// app's own migrations created, in the shapes the SQLite repositories write them
// (src/storage/sqlite/sqlite-user.rows.ts, sqlite-session.repository.ts). Users are verified local
// accounts that share one bcrypt hash of PASSWORD; sessions are one per user, as
// RefreshSessionsService leaves them after a sign-in (created with a throwaway hash, then swapped:
// `previous_token_hash` is the throwaway's hash, `rotated_at` the creation time). Their tokens are
// never known, so they are filler: the sessions the bench refreshes are created by its logins.
const { randomBytes, randomUUID } = require('node:crypto');
const Database = require('better-sqlite3');

const BATCH = 50_000;
const DAY_MS = 24 * 60 * 60 * 1000;
const FIRST = ['ada', 'alan', 'grace', 'edsger', 'barbara', 'donald', 'frances', 'ken', 'radia', 'john', 'lynn', 'niklaus'];
const LAST = ['lovelace', 'turing', 'hopper', 'dijkstra', 'liskov', 'knuth', 'allen', 'thompson', 'perlman', 'backus', 'conway', 'wirth'];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com'];
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
];

/** Distinct by construction (the index is part of it), spread over names and domains like real addresses. */
function emailOf(i) {
  return `${FIRST[i % FIRST.length]}.${LAST[Math.floor(i / FIRST.length) % LAST.length]}.${i}@${DOMAINS[i % DOMAINS.length]}`;
}

/**
 * `count` users and `count` sessions into the SQLite file `file` (closed by everyone else).
 * Ids have the app's shape (24 hex digits, a MongoDB ObjectId: seconds, a per-run random part, a
 * counter), created over the last two years in id order, as a real store fills up.
 * Returns { seconds }.
 */
function seedStore(file, { count, passwordHash, now = Date.now() }) {
  const started = process.hrtime.bigint();
  const db = new Database(file);
  try {
    // Nobody else has the file open and a failed seed is thrown away: no journal, no fsync.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -524288'); // 512 MiB, so index pages stay in memory while they fill
    const insertUser = db.prepare(`INSERT INTO users
      (id, email, name, username, password, email_verified, provider, role, two_factor_enabled, terms_accepted, disabled, created_at, updated_at)
      VALUES (?, ?, ?, NULL, ?, 1, 'local', 'USER', 0, 0, 0, ?, ?)`);
    const insertSession = db.prepare(`INSERT INTO sessions
      (id, user_id, token_hash, previous_token_hash, rotated_at, expires_at, created_at, last_used_at, user_agent, ip, provider)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'local')`);
    // Users are only read on the measured paths, so their indexes are dropped and rebuilt after the
    // load (one sort each instead of a million random inserts). Sessions are written by every
    // sign-in and refresh, so they go in through the app's indexes one at a time, in random user
    // order, as a store grows: a rebuilt index has every leaf packed full and each later insert
    // splits one, so a sign-in would write ~2.5x the WAL pages of a grown store (the state right
    // after a VACUUM, not normal life).
    const userIndexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'users' AND sql IS NOT NULL").all();
    for (const { name } of userIndexes) db.exec(`DROP INDEX "${name}"`);
    const machine = randomBytes(5).toString('hex');
    const span = 2 * 365 * DAY_MS;
    const ids = new Array(count);
    const users = db.transaction((from, to) => {
      for (let i = from; i < to; i += 1) {
        const createdAt = now - span + Math.floor((i / count) * span);
        const id =
          Math.floor(createdAt / 1000)
            .toString(16)
            .padStart(8, '0') +
          machine +
          (i & 0xffffff).toString(16).padStart(6, '0');
        const email = emailOf(i);
        insertUser.run(
          id,
          email,
          email
            .split('@')[0]
            .replace(/\.\d+$/, '')
            .replace('.', ' '),
          passwordHash,
          createdAt,
          createdAt,
        );
        ids[i] = id;
      }
    });
    for (let from = 0; from < count; from += BATCH) users(from, Math.min(count, from + BATCH));
    for (const { sql } of userIndexes) db.exec(sql);

    const order = Array.from({ length: count }, (_, i) => i);
    for (let i = count - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const sessions = db.transaction((from, to) => {
      // Token hashes are SHA-256 hex digests of random tokens: random hex of the same length.
      const hashes = randomBytes((to - from) * 64).toString('hex');
      for (let k = from; k < to; k += 1) {
        const i = order[k];
        const h = (k - from) * 128;
        // A live session signed in within the refresh lifetime (7 days), still valid for the bench.
        const signedIn = now - Math.floor(Math.random() * 6 * DAY_MS);
        insertSession.run(
          randomUUID(),
          ids[i],
          hashes.slice(h, h + 64),
          hashes.slice(h + 64, h + 128),
          signedIn,
          signedIn + 7 * DAY_MS,
          signedIn,
          signedIn,
          AGENTS[i % AGENTS.length],
          `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        );
      }
    });
    for (let from = 0; from < count; from += BATCH) sessions(from, Math.min(count, from + BATCH));
    // The marker the first registration writes (PW-12), as on any store that has held an account.
    db.prepare("INSERT OR IGNORE INTO meta (key, value, created_at) VALUES ('has-had-account', NULL, ?)").run(now);
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds };
}

module.exports = { seedStore, emailOf };
