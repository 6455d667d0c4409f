import { Clock, SystemClock } from '../../common/clock';
import { randomBytes } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import type Database from 'better-sqlite3';
import {
  CreateUserOptions,
  DuplicateUserError,
  ListUsersQuery,
  NewUser,
  PROVIDER_ID_FIELDS,
  ProviderIdField,
  UserPage,
  UserPatch,
  UserRecord,
  UserRepository,
  UserSearchQuery,
} from '../ports';
import { canonicalEmail, isUniqueViolation } from './row-mapping';
import { decodeUserCursor, encodeUserCursor } from '../ports/user-cursor';
import { SqliteDatabase } from './sqlite-database';
import { PROVIDER_COLUMNS, USER_COLUMNS, UserRow, duplicateFieldOf, newUserRecord, userFromRow, userToRow } from './sqlite-user.rows';

/** Fields every user has; a null in a patch cannot clear them. */
const REQUIRED_USER_FIELDS = new Set(['email', 'provider', 'role', 'emailVerified', 'twoFactorEnabled', 'termsAccepted']);

type ProviderLookup = Database.Statement<{ value: string; issuer: string | null }, UserRow>;

function prepare(db: Database.Database) {
  const cols = USER_COLUMNS.join(', ');
  const params = USER_COLUMNS.map((c) => `@${c}`).join(', ');
  const assignments = USER_COLUMNS.filter((c) => c !== 'id' && c !== 'created_at')
    .map((c) => `${c} = @${c}`)
    .join(', ');
  const byProvider = Object.fromEntries(PROVIDER_ID_FIELDS.map((f) => [f, db.prepare(`SELECT * FROM users WHERE ${PROVIDER_COLUMNS[f]} = @value`)])) as Record<
    ProviderIdField,
    ProviderLookup
  >;
  return {
    insert: db.prepare<UserRow>(`INSERT INTO users (${cols}) VALUES (${params})`),
    update: db.prepare<UserRow, UserRow>(`UPDATE users SET ${assignments} WHERE id = @id RETURNING *`),
    any: db.prepare<[], { one: number }>('SELECT 1 AS one FROM users LIMIT 1'),
    hadAccount: db.prepare<[], { one: number }>("SELECT 1 AS one FROM meta WHERE key = 'has-had-account'"),
    markHadAccount: db.prepare<[number]>("INSERT OR IGNORE INTO meta (key, value, created_at) VALUES ('has-had-account', NULL, ?)"),
    byId: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    byEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?'),
    byProvider,
    byOpenidIssuer: db.prepare('SELECT * FROM users WHERE openid_id = @value AND openid_issuer = @issuer') as ProviderLookup,
    // Same expression as the unique index, so "no issuer" covers both NULL and ''.
    byOpenidNoIssuer: db.prepare("SELECT * FROM users WHERE openid_id = @value AND coalesce(openid_issuer, '') = ''") as ProviderLookup,
    delete: db.prepare<[string]>('DELETE FROM users WHERE id = ?'),
    list: db.prepare<[number, number], UserRow>('SELECT * FROM users ORDER BY created_at, id LIMIT ? OFFSET ?'),
    count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users'),
    // Keyset pagination on the (created_at, id) index; the text filter is a substring match, so
    // it scans, which is acceptable for an administrator's search.
    search: db.prepare<{ pattern: string | null; afterAt: number | null; afterId: string | null; limit: number }, UserRow>(
      `SELECT * FROM users
        WHERE (@afterAt IS NULL OR created_at > @afterAt OR (created_at = @afterAt AND id > @afterId))
          AND (@pattern IS NULL OR email LIKE @pattern ESCAPE '\\' OR lower(coalesce(name, '')) LIKE @pattern ESCAPE '\\'
               OR coalesce(username, '') LIKE @pattern ESCAPE '\\')
        ORDER BY created_at, id LIMIT @limit`,
    ),
    deleteExpired: db.prepare<[number]>('DELETE FROM users WHERE expires_at IS NOT NULL AND expires_at <= ?'),
  };
}

/** Same shape as a MongoDB ObjectId, so user ids look alike whichever adapter issued them. */
function newUserId(): string {
  return randomBytes(12).toString('hex');
}

@Injectable()
export class SqliteUserRepository extends UserRepository {
  private readonly stmt: ReturnType<typeof prepare>;
  private readonly insertTx: Database.Transaction<(input: NewUser, options?: CreateUserOptions) => UserRow>;
  private readonly updateTx: Database.Transaction<(id: string, patch: UserPatch) => UserRow | null>;

  constructor(
    sqlite: SqliteDatabase,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {
    super();
    const stmt = (this.stmt = prepare(sqlite.db));
    // Run IMMEDIATE: the write lock is taken before the emptiness check, so two processes
    // cannot both see an empty table and both hand out the first-user role. "First" means the
    // first account this store has ever held (PW-12): the marker outlives every account.
    this.insertTx = sqlite.db.transaction((input: NewUser, options?: CreateUserOptions) => {
      const isFirst = !stmt.hadAccount.get() && !stmt.any.get();
      const role = isFirst && options?.firstUserRole ? options.firstUserRole : (input.role ?? 'USER');
      const row = userToRow(newUserRecord(input, newUserId(), role, this.clock.now()));
      stmt.insert.run(row);
      stmt.markHadAccount.run(row.created_at);
      return row;
    });
    // Read-merge-write of the whole row keeps one prepared UPDATE for any combination of fields.
    this.updateTx = sqlite.db.transaction((id: string, patch: UserPatch) => {
      const current = stmt.byId.get(id);
      if (!current) return null;
      // Null clears a nullable field; on a required one it changes nothing, as in the Mongo adapter (MB-22).
      const given = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && !(v === null && REQUIRED_USER_FIELDS.has(k)))) as UserPatch;
      const next: UserRecord = { ...userFromRow(current), ...given, id, updatedAt: this.clock.now() };
      return stmt.update.get(userToRow(next)) ?? null;
    });
  }

  async create(input: NewUser, options?: CreateUserOptions): Promise<UserRecord> {
    return userFromRow(this.rethrowDuplicate(() => this.insertTx.immediate(input, options)));
  }

  async findById(id: string): Promise<UserRecord | null> {
    return mapUser(this.stmt.byId.get(id));
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    return mapUser(this.stmt.byEmail.get(canonicalEmail(email)));
  }

  async findByProviderId(field: ProviderIdField, value: string, issuer?: string | null): Promise<UserRecord | null> {
    let lookup = this.stmt.byProvider[field];
    if (!lookup) throw new Error(`unknown provider id field: ${String(field)}`);
    if (field === 'openidId' && issuer !== undefined) {
      lookup = issuer === null ? this.stmt.byOpenidNoIssuer : this.stmt.byOpenidIssuer;
    }
    return mapUser(lookup.get({ value, issuer: issuer ?? null }));
  }

  async update(id: string, patch: UserPatch): Promise<UserRecord | null> {
    return mapUser(this.rethrowDuplicate(() => this.updateTx.immediate(id, patch)));
  }

  async delete(id: string): Promise<boolean> {
    return this.stmt.delete.run(id).changes > 0;
  }

  async list(query: ListUsersQuery = {}): Promise<UserRecord[]> {
    // A negative LIMIT means "no limit" to SQLite.
    return this.stmt.list.all(query.limit ?? -1, query.offset ?? 0).map(userFromRow);
  }

  async count(): Promise<number> {
    return this.stmt.count.get()?.n ?? 0;
  }

  async search(query: UserSearchQuery): Promise<UserPage> {
    const after = decodeUserCursor(query.after);
    const text = query.text?.trim().toLowerCase();
    const rows = this.stmt.search.all({
      pattern: text ? `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
      afterAt: after?.at ?? null,
      afterId: after?.id ?? null,
      limit: query.limit + 1,
    });
    const users = rows.slice(0, query.limit).map(userFromRow);
    return { users, next: rows.length > query.limit ? encodeUserCursor(users[users.length - 1]) : null };
  }

  async deleteExpired(now: Date): Promise<number> {
    return this.stmt.deleteExpired.run(now.getTime()).changes;
  }

  private rethrowDuplicate<T>(write: () => T): T {
    try {
      return write();
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateUserError(duplicateFieldOf(err.message));
      throw err;
    }
  }
}

function mapUser(row: UserRow | null | undefined): UserRecord | null {
  return row ? userFromRow(row) : null;
}
