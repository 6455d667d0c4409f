import { createHash, randomBytes } from 'node:crypto';
import type { BackupCodeRecord } from '../storage';

const COUNT = 10;

/** LibreChat's hash of a backup code: SHA-256 hex of the trimmed code. */
export function hashBackupCode(code: string): string {
  return createHash('sha256').update(code.trim(), 'utf8').digest('hex');
}

/** Ten codes of 4 random bytes as 8 lowercase hex characters; only their hashes are stored. */
export function newBackupCodes(): { plain: string[]; records: BackupCodeRecord[] } {
  const plain = Array.from({ length: COUNT }, () => randomBytes(4).toString('hex'));
  return { plain, records: plain.map((code) => ({ codeHash: hashBackupCode(code), used: false, usedAt: null })) };
}
