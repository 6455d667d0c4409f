import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { NewPasskey, PasskeyRecord, PasskeyRepository } from '../ports';
import { isUniqueViolation } from './row-mapping';
import { SqliteDatabase } from './sqlite-database';

interface PasskeyRow {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: string;
  counter: number;
  transports: string;
  name: string;
  user_handle: string;
  backed_up: number;
  flagged_at: number | null;
  created_at: number;
  last_used_at: number | null;
}

function toRecord(r: PasskeyRow): PasskeyRecord {
  return {
    id: r.id,
    userId: r.user_id,
    credentialId: r.credential_id,
    publicKey: r.public_key,
    counter: r.counter,
    transports: JSON.parse(r.transports) as string[],
    name: r.name,
    userHandle: r.user_handle,
    backedUp: r.backed_up === 1,
    flaggedAt: r.flagged_at === null ? null : new Date(r.flagged_at),
    createdAt: new Date(r.created_at),
    lastUsedAt: r.last_used_at === null ? null : new Date(r.last_used_at),
  };
}

function prepare(db: Database.Database) {
  return {
    insert:
      db.prepare<PasskeyRow>(`INSERT INTO passkeys (id, user_id, credential_id, public_key, counter, transports, name, user_handle, backed_up, flagged_at, created_at, last_used_at)
      VALUES (@id, @user_id, @credential_id, @public_key, @counter, @transports, @name, @user_handle, @backed_up, @flagged_at, @created_at, @last_used_at)`),
    byCredential: db.prepare<[string], PasskeyRow>('SELECT * FROM passkeys WHERE credential_id = ?'),
    byUser: db.prepare<[string], PasskeyRow>('SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at, id'),
    byId: db.prepare<[string, string], PasskeyRow>('SELECT * FROM passkeys WHERE user_id = ? AND id = ?'),
    rename: db.prepare<[string, string, string]>('UPDATE passkeys SET name = ? WHERE user_id = ? AND id = ?'),
    remove: db.prepare<[string, string]>('DELETE FROM passkeys WHERE user_id = ? AND id = ?'),
    removeAll: db.prepare<[string]>('DELETE FROM passkeys WHERE user_id = ?'),
    use: db.prepare<[number, number, string, number]>(
      'UPDATE passkeys SET counter = ?, last_used_at = ? WHERE credential_id = ? AND counter = ? AND flagged_at IS NULL',
    ),
    flag: db.prepare<[number, string]>('UPDATE passkeys SET flagged_at = coalesce(flagged_at, ?) WHERE credential_id = ?'),
  };
}

@Injectable()
export class SqlitePasskeyRepository extends PasskeyRepository {
  private readonly stmt: ReturnType<typeof prepare>;

  constructor(sqlite: SqliteDatabase) {
    super();
    this.stmt = prepare(sqlite.db);
  }

  async add(p: NewPasskey): Promise<PasskeyRecord | null> {
    const row: PasskeyRow = {
      id: randomUUID(),
      user_id: p.userId,
      credential_id: p.credentialId,
      public_key: p.publicKey,
      counter: p.counter,
      transports: JSON.stringify(p.transports),
      name: p.name,
      user_handle: p.userHandle,
      backed_up: p.backedUp ? 1 : 0,
      flagged_at: null,
      created_at: p.createdAt.getTime(),
      last_used_at: null,
    };
    try {
      this.stmt.insert.run(row);
    } catch (err) {
      if (isUniqueViolation(err)) return null;
      throw err;
    }
    return toRecord(row);
  }

  async findByCredentialId(credentialId: string): Promise<PasskeyRecord | null> {
    const r = this.stmt.byCredential.get(credentialId);
    return r ? toRecord(r) : null;
  }

  async listByUser(userId: string): Promise<PasskeyRecord[]> {
    return this.stmt.byUser.all(userId).map(toRecord);
  }

  async rename(userId: string, id: string, name: string): Promise<PasskeyRecord | null> {
    if (this.stmt.rename.run(name, userId, id).changes === 0) return null;
    const r = this.stmt.byId.get(userId, id);
    return r ? toRecord(r) : null;
  }

  async remove(userId: string, id: string): Promise<boolean> {
    return this.stmt.remove.run(userId, id).changes === 1;
  }

  async removeAllOf(userId: string): Promise<number> {
    return this.stmt.removeAll.run(userId).changes;
  }

  async recordUse(credentialId: string, expected: number, next: number, now: Date): Promise<boolean> {
    return this.stmt.use.run(next, now.getTime(), credentialId, expected).changes === 1;
  }

  async flag(credentialId: string, now: Date): Promise<void> {
    this.stmt.flag.run(now.getTime(), credentialId);
  }
}
