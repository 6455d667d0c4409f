import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors';
import type { UserRecord } from '../../storage';
import { AuthErrors } from '../auth.errors';
import type { PasskeyProof } from './passkey-factor';

/** What a second factor asks for before it lets an action through. */
export interface SecondFactorProof {
  token?: string;
  backupCode?: string;
  /** A passkey assertion (verify-temp only; see PasskeyFactor). */
  passkey?: PasskeyProof;
}

/**
 * A second-factor module (two-factor/ today, passkeys later) plugs in here. The auth module owns
 * the seam, so the dependency stays one-way (second factors → auth).
 */
export interface SecondFactorHandler {
  /** After a correct password: the temp token of the pending step, or null when the account has no second factor. */
  challenge(user: UserRecord): Promise<{ tempToken: string } | null>;
  /** Before a sensitive action of a signed-in user (account deletion): throws 400/401 when the proof is missing or wrong. */
  confirm(user: UserRecord, proof: SecondFactorProof): Promise<void>;
}

/**
 * The one "second step" of the password sign-in and of sensitive actions. Without a registered
 * handler an account marked `twoFactorEnabled` is refused rather than let in on its password
 * alone: a missing module must never bypass a factor the user turned on.
 */
@Injectable()
export class SecondFactorStep {
  private handler: SecondFactorHandler | null = null;

  register(handler: SecondFactorHandler): void {
    this.handler = handler;
  }

  async challenge(user: UserRecord): Promise<{ tempToken: string } | null> {
    if (this.handler) return this.handler.challenge(user);
    if (user.twoFactorEnabled) throw unavailable();
    return null;
  }

  async confirm(user: UserRecord, proof: SecondFactorProof): Promise<void> {
    if (this.handler) return this.handler.confirm(user, proof);
    if (user.twoFactorEnabled) throw unavailable();
  }
}

const unavailable = () => new DomainError(AuthErrors.SECOND_FACTOR_UNAVAILABLE);
