import { Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { IdpTokenVault, SealedIdpTokens } from '../ports';
import { TokenCipher } from '../token-cipher';
import { Millis, fromMillis, fromMillisOrNull } from './row-mapping';
import { SqliteDatabase } from './sqlite-database';

interface IdpTokenRow {
  user_id: string;
  provider: string;
  sealed: string;
  expires_at: Millis | null;
  updated_at: Millis;
}

function prepare(db: Database.Database) {
  return {
    upsert: db.prepare<IdpTokenRow>(`INSERT INTO idp_tokens (user_id, provider, sealed, expires_at, updated_at)
      VALUES (@user_id, @provider, @sealed, @expires_at, @updated_at)
      ON CONFLICT (user_id, provider) DO UPDATE SET
        sealed = excluded.sealed, expires_at = excluded.expires_at, updated_at = excluded.updated_at`),
    read: db.prepare<[string, string], IdpTokenRow>('SELECT * FROM idp_tokens WHERE user_id = ? AND provider = ?'),
    deleteOne: db.prepare<[string, string]>('DELETE FROM idp_tokens WHERE user_id = ? AND provider = ?'),
    deleteAll: db.prepare<[string]>('DELETE FROM idp_tokens WHERE user_id = ?'),
  };
}

/** Stores only what the base class sealed; this adapter never sees plaintext tokens. */
@Injectable()
export class SqliteIdpTokenVault extends IdpTokenVault {
  private readonly stmt: ReturnType<typeof prepare>;

  constructor(cipher: TokenCipher, sqlite: SqliteDatabase) {
    super(cipher);
    this.stmt = prepare(sqlite.db);
  }

  async delete(userId: string, provider?: string): Promise<number> {
    const result = provider === undefined ? this.stmt.deleteAll.run(userId) : this.stmt.deleteOne.run(userId, provider);
    return result.changes;
  }

  protected async writeSealed(row: SealedIdpTokens): Promise<void> {
    this.stmt.upsert.run({
      user_id: row.userId,
      provider: row.provider,
      sealed: row.sealed,
      expires_at: row.expiresAt ? row.expiresAt.getTime() : null,
      updated_at: row.updatedAt.getTime(),
    });
  }

  protected async readSealed(userId: string, provider: string): Promise<SealedIdpTokens | null> {
    const r = this.stmt.read.get(userId, provider);
    if (!r) return null;
    return {
      userId: r.user_id,
      provider: r.provider,
      sealed: r.sealed,
      expiresAt: fromMillisOrNull(r.expires_at),
      updatedAt: fromMillis(r.updated_at),
    };
  }
}
