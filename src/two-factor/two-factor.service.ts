import { Injectable, Logger } from '@nestjs/common';
import type { SecondFactorProof } from '../auth';
import { DomainError } from '../common/errors';
import { SecurityEvents } from '../common/security-events';
import { ServerConfig } from '../config';
import { RefreshSessionsService } from '../sessions';
import { BackupCodeRecord, TwoFactorRecord, TwoFactorRepository } from '../storage';
import { hashBackupCode, newBackupCodes } from './backup-codes';
import { qrCodeDataUrl } from './qr-code';
import { ProofResult, SecondFactorVerifier } from './second-factor.verifier';
import { issuerOf, newTotpSecret, otpauthUrl } from './totp';
import { TotpSecretCipher } from './totp-secret.cipher';
import { TwoFactorErrors } from './two-factor.errors';
import { AuthErrors } from '../auth';
import { UsersErrors } from '../users';

/** The signed-in caller: who, and which session to keep when the others end. */
export interface Caller {
  userId: string;
  email: string;
  sessionId: string | null;
}

/** LibreChat's texts (docs/two-factor.md), each with a stable code. */
const fail = {
  notInitiated: () => new DomainError(TwoFactorErrors.TWO_FACTOR_NOT_INITIATED),
  notSetUp: () => new DomainError(TwoFactorErrors.TWO_FACTOR_NOT_SET_UP),
  corrupted: () => new DomainError(TwoFactorErrors.TWO_FACTOR_SECRET_CORRUPTED),
  wrongCode: () => new DomainError(AuthErrors.INVALID_SECOND_FACTOR, { message: 'Invalid token or backup code' }),
  userNotFound: () => new DomainError(UsersErrors.USER_NOT_FOUND, { message: 'User not found' }),
  required: (message: string) => new DomainError(AuthErrors.SECOND_FACTOR_REQUIRED, { message }),
};

/**
 * Enrolment and management of a signed-in user's TOTP factor and backup codes, with LibreChat's
 * request and answer shapes. A new enrolment stays pending (the live factor keeps working) until
 * a code from the new secret confirms it. Every change of the live factor ends the user's other
 * sessions, so a device that was signed in by someone else is out once the owner secures the account.
 * (The administrator's reset is the CLI's `reset-2fa`, on the storage ports like the other account commands.)
 */
@Injectable()
export class TwoFactorService {
  private readonly logger = new Logger('TwoFactor');

  constructor(
    private readonly store: TwoFactorRepository,
    private readonly verifier: SecondFactorVerifier,
    private readonly cipher: TotpSecretCipher,
    private readonly sessions: RefreshSessionsService,
    private readonly server: ServerConfig,
    private readonly events: SecurityEvents,
  ) {}

  /** LibreChat's `{otpauthUrl, backupCodes}`, plus the QR code of the URL for clients that cannot draw one. */
  async enable(caller: Caller, proof: SecondFactorProof): Promise<{ otpauthUrl: string; backupCodes: string[]; qrCodeDataUrl: string }> {
    const state = await this.load(caller.userId);
    if (state.enabled) {
      // Re-enrolment replaces the factor: prove the current one first (a backup code is not spent
      // here, as in LibreChat, because nothing live changes until the new secret is confirmed).
      this.assertProof(
        await this.verifier.checkLive(caller.userId, state, proof, { spendBackupCode: false }),
        'TOTP token or backup code is required to re-enroll 2FA',
      );
    }
    const secret = newTotpSecret();
    const codes = newBackupCodes();
    await this.store.savePending(caller.userId, this.cipher.encrypt(secret), codes.records);
    this.logger.log({ event: '2fa_enrolment_started', userId: caller.userId }, 'two-factor enrolment started');
    const url = otpauthUrl(secret, issuerOf(this.server.appTitle), caller.email);
    return { otpauthUrl: url, backupCodes: codes.plain, qrCodeDataUrl: await qrCodeDataUrl(url) };
  }

  /** Optional check during enrolment: against the pending factor when there is one, else the live one. */
  async verify(caller: Caller, proof: SecondFactorProof): Promise<void> {
    const state = await this.load(caller.userId);
    if (state.pendingTotpSecret) {
      const byCode = this.verifier.pendingStep(state, proof.token) !== null;
      const byBackup =
        !proof.token && !!proof.backupCode && state.pendingBackupCodes.some((c) => c.codeHash === hashBackupCode(proof.backupCode ?? '') && !c.used);
      if (!byCode && !byBackup) throw new DomainError(TwoFactorErrors.INVALID_SECOND_FACTOR_IN_SETUP, { message: 'Invalid token or backup code.' });
      return;
    }
    if (!state.totpSecret) throw fail.notInitiated();
    if ((await this.verifier.checkLive(caller.userId, state, proof, { spendBackupCode: true })) !== 'ok') {
      throw new DomainError(TwoFactorErrors.INVALID_SECOND_FACTOR_IN_SETUP, { message: 'Invalid token or backup code.' });
    }
  }

  async confirm(caller: Caller, token: string | undefined): Promise<void> {
    const state = await this.load(caller.userId);
    if (!state.pendingTotpSecret) throw fail.notInitiated();
    const step = this.verifier.pendingStep(state, token);
    if (step === null) throw new DomainError(TwoFactorErrors.INVALID_SECOND_FACTOR_IN_SETUP, { message: 'Invalid token.' });
    // Compare-and-swap on the pending secret: a parallel re-enrolment makes this one stale.
    if (!(await this.store.activatePending(caller.userId, state.pendingTotpSecret, step))) throw fail.notInitiated();
    await this.changed(caller, '2fa_enabled');
  }

  async disable(caller: Caller, proof: SecondFactorProof): Promise<void> {
    const state = await this.load(caller.userId);
    if (!state.enabled && !state.totpSecret && !state.pendingTotpSecret) throw fail.notSetUp();
    if (state.enabled) {
      this.assertProof(
        await this.verifier.checkLive(caller.userId, state, proof, { spendBackupCode: true }),
        'Either token or backup code is required to disable 2FA',
      );
    }
    await this.store.clear(caller.userId);
    await this.changed(caller, '2fa_disabled');
  }

  async regenerateBackupCodes(caller: Caller, proof: SecondFactorProof): Promise<{ backupCodes: string[]; backupCodesHash: BackupCodeRecord[] }> {
    const state = await this.store.find(caller.userId);
    if (!state) throw fail.userNotFound();
    if (state.enabled) {
      this.assertProof(
        await this.verifier.checkLive(caller.userId, state, proof, { spendBackupCode: true }),
        'TOTP token or backup code is required to regenerate backup codes',
      );
    }
    const codes = newBackupCodes();
    await this.store.replaceBackupCodes(caller.userId, codes.records);
    await this.changed(caller, '2fa_backup_codes_regenerated');
    return { backupCodes: codes.plain, backupCodesHash: codes.records };
  }

  /** Account deletion and other sensitive actions of a 2FA account. */
  async confirmSensitive(userId: string, proof: SecondFactorProof): Promise<void> {
    const state = await this.store.find(userId);
    if (!state?.enabled) return;
    this.assertProof(
      await this.verifier.checkLive(userId, state, proof, { spendBackupCode: true }),
      'TOTP token or backup code is required to delete account with 2FA enabled',
    );
  }

  private async load(userId: string): Promise<TwoFactorRecord> {
    const state = await this.store.find(userId);
    if (!state) throw fail.notInitiated();
    return state;
  }

  private assertProof(result: ProofResult, missingMessage: string): void {
    if (result === 'ok') return;
    if (result === 'missing') throw fail.required(missingMessage);
    if (result === 'corrupted') throw fail.corrupted();
    throw fail.wrongCode();
  }

  private async changed(caller: Caller, event: keyof typeof BUS_EVENT): Promise<void> {
    const sessions = await this.sessions.list(caller.userId);
    let ended = 0;
    for (const session of sessions) {
      if (session.id !== caller.sessionId && (await this.sessions.revoke(session.id))) ended++;
    }
    this.logger.log({ event, userId: caller.userId, endedSessions: ended }, 'two-factor settings changed; other sessions ended');
    await this.events.emit({ type: BUS_EVENT[event], userId: caller.userId, actorId: caller.userId, details: { endedSessions: ended } });
  }
}

/** The log event names above and their names on the security-event bus. */
const BUS_EVENT = {
  '2fa_enabled': 'two_factor.enabled',
  '2fa_disabled': 'two_factor.disabled',
  '2fa_backup_codes_regenerated': 'two_factor.backup_codes_regenerated',
} as const;
