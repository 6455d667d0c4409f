import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { PasskeyFactor, type SecondFactorProof } from '../auth';
import { TwoFactorRecord, TwoFactorRepository } from '../storage';
import { hashBackupCode } from './backup-codes';
import { matchingStep } from './totp';
import { TotpSecretCipher } from './totp-secret.cipher';

export type ProofResult = 'ok' | 'missing' | 'invalid' | 'corrupted';

/**
 * The one place a code is checked against a user's live factor. A TOTP code is accepted only for
 * a time step later than the last one accepted (RFC 6238 §5.2), recorded atomically, so a code
 * seen over someone's shoulder cannot be replayed within its window. A backup code is spent in
 * the same store operation that finds it unused. A passkey assertion is the third proof. `token` takes precedence, as in LibreChat.
 */
@Injectable()
export class SecondFactorVerifier {
  constructor(
    private readonly store: TwoFactorRepository,
    private readonly cipher: TotpSecretCipher,
    private readonly clock: Clock,
    private readonly passkeys: PasskeyFactor,
  ) {}

  async checkLive(userId: string, state: TwoFactorRecord, proof: SecondFactorProof, options: { spendBackupCode: boolean }): Promise<ProofResult> {
    if (proof.token) {
      const secret = state.totpSecret ? this.cipher.decrypt(state.totpSecret) : null;
      if (!secret) return 'corrupted';
      const step = matchingStep(secret, proof.token, this.clock.now());
      if (step === null) return 'invalid';
      return (await this.store.claimTotpStep(userId, step)) ? 'ok' : 'invalid';
    }
    if (proof.backupCode) {
      const hash = hashBackupCode(proof.backupCode);
      if (options.spendBackupCode) return (await this.store.spendBackupCode(userId, hash, this.clock.now())) ? 'ok' : 'invalid';
      return state.backupCodes.some((c) => c.codeHash === hash && !c.used) ? 'ok' : 'invalid';
    }
    // The third way (issue 21): a passkey assertion, judged by the passkeys module; its challenge is single-use.
    if (proof.passkey) return (await this.passkeys.verify(userId, proof.passkey)) ? 'ok' : 'invalid';
    return 'missing';
  }

  /** A code against the pending enrolment: the step it matched, or null. Nothing is recorded. */
  pendingStep(state: TwoFactorRecord, token: string | undefined): number | null {
    if (!token || !state.pendingTotpSecret) return null;
    const secret = this.cipher.decrypt(state.pendingTotpSecret);
    return secret ? matchingStep(secret, token, this.clock.now()) : null;
  }
}
