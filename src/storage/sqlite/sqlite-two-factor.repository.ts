import { Clock, SystemClock } from '../../common/clock';
import { Injectable, Optional } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { BackupCodeRecord, TwoFactorRecord, TwoFactorRepository } from '../ports';
import { SqliteDatabase } from './sqlite-database';

interface TwoFactorRow {
  two_factor_enabled: number;
  totp_secret: string | null;
  backup_codes: string | null;
  pending_totp_secret: string | null;
  pending_backup_codes: string | null;
  totp_last_step: number | null;
}

type StoredCode = { codeHash: string; used: boolean; usedAt: string | null };

function encodeCodes(codes: BackupCodeRecord[]): string {
  return JSON.stringify(codes.map((c) => ({ codeHash: c.codeHash, used: c.used, usedAt: c.usedAt ? c.usedAt.toISOString() : null })));
}

function decodeCodes(text: string | null): BackupCodeRecord[] {
  if (!text) return [];
  const parsed = JSON.parse(text) as StoredCode[];
  return parsed.map((c) => ({ codeHash: c.codeHash, used: c.used === true, usedAt: c.usedAt ? new Date(c.usedAt) : null }));
}

function prepare(db: Database.Database) {
  return {
    find: db.prepare<[string], TwoFactorRow>(
      'SELECT two_factor_enabled, totp_secret, backup_codes, pending_totp_secret, pending_backup_codes, totp_last_step FROM users WHERE id = ?',
    ),
    savePending: db.prepare<{ id: string; secret: string; codes: string; now: number }>(
      'UPDATE users SET pending_totp_secret = @secret, pending_backup_codes = @codes, updated_at = @now WHERE id = @id',
    ),
    activate: db.prepare<{ id: string; expected: string; step: number; now: number }>(
      `UPDATE users SET totp_secret = pending_totp_secret, backup_codes = pending_backup_codes,
         pending_totp_secret = NULL, pending_backup_codes = NULL, two_factor_enabled = 1,
         totp_last_step = @step, updated_at = @now
       WHERE id = @id AND pending_totp_secret = @expected`,
    ),
    replaceCodes: db.prepare<{ id: string; codes: string; now: number }>('UPDATE users SET backup_codes = @codes, updated_at = @now WHERE id = @id'),
    setCodesIf: db.prepare<{ id: string; codes: string; before: string | null }>(
      'UPDATE users SET backup_codes = @codes WHERE id = @id AND backup_codes IS @before',
    ),
    clear: db.prepare<{ id: string; now: number }>(
      `UPDATE users SET totp_secret = NULL, backup_codes = NULL, pending_totp_secret = NULL,
         pending_backup_codes = NULL, totp_last_step = NULL, two_factor_enabled = 0, updated_at = @now
       WHERE id = @id`,
    ),
    claimStep: db.prepare<{ id: string; step: number }>(
      'UPDATE users SET totp_last_step = @step WHERE id = @id AND (totp_last_step IS NULL OR totp_last_step < @step)',
    ),
  };
}

@Injectable()
export class SqliteTwoFactorRepository extends TwoFactorRepository {
  private readonly stmt: ReturnType<typeof prepare>;
  private readonly spendTx: Database.Transaction<(userId: string, codeHash: string, now: Date) => boolean>;

  constructor(
    sqlite: SqliteDatabase,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {
    super();
    const stmt = (this.stmt = prepare(sqlite.db));
    // Read and write under one IMMEDIATE lock, and only if the list is still the one read, so a
    // code is spent once even by two processes sharing the file.
    this.spendTx = sqlite.db.transaction((userId: string, codeHash: string, now: Date) => {
      const row = stmt.find.get(userId);
      if (!row) return false;
      const codes = decodeCodes(row.backup_codes);
      const index = codes.findIndex((c) => c.codeHash === codeHash && !c.used);
      if (index < 0) return false;
      codes[index] = { codeHash, used: true, usedAt: now };
      return stmt.setCodesIf.run({ id: userId, codes: encodeCodes(codes), before: row.backup_codes }).changes === 1;
    });
  }

  async find(userId: string): Promise<TwoFactorRecord | null> {
    const row = this.stmt.find.get(userId);
    if (!row) return null;
    return {
      enabled: row.two_factor_enabled !== 0,
      totpSecret: row.totp_secret,
      backupCodes: decodeCodes(row.backup_codes),
      pendingTotpSecret: row.pending_totp_secret,
      pendingBackupCodes: decodeCodes(row.pending_backup_codes),
      lastTotpStep: row.totp_last_step,
    };
  }

  async savePending(userId: string, totpSecret: string, backupCodes: BackupCodeRecord[]): Promise<boolean> {
    return this.stmt.savePending.run({ id: userId, secret: totpSecret, codes: encodeCodes(backupCodes), now: this.clock.now().getTime() }).changes === 1;
  }

  async activatePending(userId: string, expectedPendingSecret: string, totpStep: number): Promise<boolean> {
    return this.stmt.activate.run({ id: userId, expected: expectedPendingSecret, step: totpStep, now: this.clock.now().getTime() }).changes === 1;
  }

  async replaceBackupCodes(userId: string, backupCodes: BackupCodeRecord[]): Promise<boolean> {
    return this.stmt.replaceCodes.run({ id: userId, codes: encodeCodes(backupCodes), now: this.clock.now().getTime() }).changes === 1;
  }

  async clear(userId: string): Promise<boolean> {
    return this.stmt.clear.run({ id: userId, now: this.clock.now().getTime() }).changes === 1;
  }

  async spendBackupCode(userId: string, codeHash: string, now: Date): Promise<boolean> {
    return this.spendTx.immediate(userId, codeHash, now);
  }

  async claimTotpStep(userId: string, step: number): Promise<boolean> {
    return this.stmt.claimStep.run({ id: userId, step }).changes === 1;
  }
}
