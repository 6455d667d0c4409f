/** One backup code as LibreChat stores it: only the SHA-256 of the code is kept. */
export interface BackupCodeRecord {
  codeHash: string;
  used: boolean;
  usedAt: Date | null;
}

/**
 * A user's second factor. The secrets are stored exactly as given (already encrypted by the
 * two-factor module in LibreChat's `v3:` format), so a LibreChat database reads the same.
 */
export interface TwoFactorRecord {
  enabled: boolean;
  totpSecret: string | null;
  backupCodes: BackupCodeRecord[];
  /** An enrolment in progress: kept apart from the live factor until it is confirmed. */
  pendingTotpSecret: string | null;
  pendingBackupCodes: BackupCodeRecord[];
  /** The last TOTP time step accepted for this user (replay guard); null before the first. */
  lastTotpStep: number | null;
}

/**
 * Second-factor state of users. Every method that spends or replaces something is a single
 * atomic step in the store, so two parallel requests cannot both use one code.
 */
export abstract class TwoFactorRepository {
  /** Null when the user does not exist. */
  abstract find(userId: string): Promise<TwoFactorRecord | null>;
  /** Stores a new pending enrolment (replacing an older one); the live factor is untouched. */
  abstract savePending(userId: string, totpSecret: string, backupCodes: BackupCodeRecord[]): Promise<boolean>;
  /**
   * Makes the pending enrolment live and enables 2FA, only while the pending secret is still
   * `expectedPendingSecret` (compare-and-swap). `totpStep` becomes the last accepted step.
   */
  abstract activatePending(userId: string, expectedPendingSecret: string, totpStep: number): Promise<boolean>;
  /** Replaces the live backup codes. */
  abstract replaceBackupCodes(userId: string, backupCodes: BackupCodeRecord[]): Promise<boolean>;
  /** Removes the live and pending factor and disables 2FA. */
  abstract clear(userId: string): Promise<boolean>;
  /** Marks the unused live code with this hash used; true for exactly one caller. */
  abstract spendBackupCode(userId: string, codeHash: string, now: Date): Promise<boolean>;
  /** Records `step` as the last accepted TOTP step if it is later than the recorded one; true when it was. */
  abstract claimTotpStep(userId: string, step: number): Promise<boolean>;
}
