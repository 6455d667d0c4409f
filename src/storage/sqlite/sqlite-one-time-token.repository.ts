import { Clock, SystemClock } from '../../common/clock';
import { randomUUID } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { NewOneTimeToken, OneTimeTokenFilter, OneTimeTokenRecord, OneTimeTokenRepository, assertTokenFilterNotEmpty } from '../ports';
import { Millis, canonicalEmail, fromMillis } from './row-mapping';
import { SqliteDatabase } from './sqlite-database';

interface TokenRow {
  id: string;
  user_id: string | null;
  email: string | null;
  type: string;
  identifier: string | null;
  token_hash: string;
  created_at: Millis;
  expires_at: Millis;
  metadata: string | null;
}

const FILTER_COLUMNS = {
  type: 'type',
  tokenHash: 'token_hash',
  userId: 'user_id',
  email: 'email',
  identifier: 'identifier',
} as const satisfies Record<keyof OneTimeTokenFilter, keyof TokenRow>;
type FilterField = keyof typeof FILTER_COLUMNS;
const FILTER_FIELDS = Object.keys(FILTER_COLUMNS) as FilterField[];

type Op = 'consume' | 'find' | 'delete';
type Params = Record<string, string | number>;

@Injectable()
export class SqliteOneTimeTokenRepository extends OneTimeTokenRepository {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<TokenRow>;
  private readonly deleteExpiredStmt: Database.Statement<[Millis]>;
  /**
   * A filter is any subset of five fields; one statement per (operation, subset) is prepared on
   * first use and reused, so each query is a plain indexable equality match instead of one
   * catch-all `(@x IS NULL OR x = @x)` statement the planner cannot index.
   */
  private readonly filtered = new Map<string, Database.Statement<[Params], TokenRow>>();

  constructor(
    sqlite: SqliteDatabase,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {
    super();
    this.db = sqlite.db;
    this.insert = this.db.prepare<TokenRow>(`INSERT INTO one_time_tokens
      (id, user_id, email, type, identifier, token_hash, created_at, expires_at, metadata)
      VALUES (@id, @user_id, @email, @type, @identifier, @token_hash, @created_at, @expires_at, @metadata)`);
    this.deleteExpiredStmt = this.db.prepare<[Millis]>('DELETE FROM one_time_tokens WHERE expires_at <= ?');
  }

  async create(input: NewOneTimeToken): Promise<OneTimeTokenRecord> {
    const row: TokenRow = {
      id: randomUUID(),
      user_id: input.userId ?? null,
      email: input.email == null ? null : canonicalEmail(input.email),
      type: input.type,
      identifier: input.identifier ?? null,
      token_hash: input.tokenHash,
      created_at: (input.createdAt ?? this.clock.now()).getTime(),
      expires_at: input.expiresAt.getTime(),
      metadata: input.metadata == null ? null : JSON.stringify(input.metadata),
    };
    this.insert.run(row);
    return tokenFromRow(row);
  }

  async consumeOne(filter: OneTimeTokenFilter, now: Date): Promise<OneTimeTokenRecord | null> {
    // A single DELETE ... RETURNING: selecting and removing cannot be split by another caller.
    const row = this.statement('consume', filter).get({ ...bindings(filter), now: now.getTime() });
    return row ? tokenFromRow(row) : null;
  }

  async find(filter: OneTimeTokenFilter, now: Date): Promise<OneTimeTokenRecord[]> {
    return this.statement('find', filter)
      .all({ ...bindings(filter), now: now.getTime() })
      .map(tokenFromRow);
  }

  async deleteMany(filter: OneTimeTokenFilter): Promise<number> {
    return this.statement('delete', filter).run(bindings(filter)).changes;
  }

  async deleteExpired(now: Date): Promise<number> {
    return this.deleteExpiredStmt.run(now.getTime()).changes;
  }

  private statement(op: Op, filter: OneTimeTokenFilter): Database.Statement<[Params], TokenRow> {
    assertTokenFilterNotEmpty(filter);
    const fields = FILTER_FIELDS.filter((f) => filter[f] !== undefined);
    const cacheKey = `${op}:${fields.join(',')}`;
    let stmt = this.filtered.get(cacheKey);
    if (!stmt) {
      const match = fields.map((f) => `${FILTER_COLUMNS[f]} = @${f}`);
      const where = (clauses: string[]) => (clauses.length ? clauses.join(' AND ') : '1 = 1');
      const unexpired = where([...match, 'expires_at > @now']);
      const sql = {
        consume: `DELETE FROM one_time_tokens WHERE id = (
            SELECT id FROM one_time_tokens WHERE ${unexpired} ORDER BY created_at, id LIMIT 1
          ) RETURNING *`,
        find: `SELECT * FROM one_time_tokens WHERE ${unexpired} ORDER BY created_at, id`,
        delete: `DELETE FROM one_time_tokens WHERE ${where(match)}`,
      }[op];
      stmt = this.db.prepare<[Params], TokenRow>(sql);
      this.filtered.set(cacheKey, stmt);
    }
    return stmt;
  }
}

function bindings(filter: OneTimeTokenFilter): Params {
  const params: Params = {};
  for (const f of FILTER_FIELDS) {
    const value = filter[f];
    if (value !== undefined) params[f] = f === 'email' ? canonicalEmail(value) : value;
  }
  return params;
}

function tokenFromRow(r: TokenRow): OneTimeTokenRecord {
  return {
    id: r.id,
    userId: r.user_id,
    email: r.email,
    type: r.type,
    identifier: r.identifier,
    tokenHash: r.token_hash,
    createdAt: fromMillis(r.created_at),
    expiresAt: fromMillis(r.expires_at),
    metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Record<string, string>),
  };
}
