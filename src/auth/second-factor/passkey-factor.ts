import { Injectable } from '@nestjs/common';

/** A passkey assertion offered as the second step, with the sealed challenge cookie it answers. */
export interface PasskeyProof {
  /** The browser's AuthenticationResponseJSON, as posted. */
  response: unknown;
  /** The sealed challenge cookie the browser sent with it (undefined when it sent none). */
  challenge: string | undefined;
}

export interface PasskeyFactorHandler {
  /** True when the assertion is genuine, answers an unspent second-factor challenge for `userId` and is made by one of that user's passkeys. */
  verify(userId: string, proof: PasskeyProof): Promise<boolean>;
}

/**
 * The seam through which the passkeys module lets a passkey pass the second step of a 2FA sign-in
 * (next to TOTP and backup codes). two-factor/ keeps the temp-token rules and asks this seam only
 * "is this assertion good for this user"; without the passkeys module every passkey proof fails.
 */
@Injectable()
export class PasskeyFactor {
  private handler: PasskeyFactorHandler | null = null;

  register(handler: PasskeyFactorHandler): void {
    this.handler = handler;
  }

  async verify(userId: string, proof: PasskeyProof): Promise<boolean> {
    return this.handler ? this.handler.verify(userId, proof) : false;
  }
}

/** The cookie carrying the sealed WebAuthn challenge; scoped to /api/auth so verify-temp receives it too. */
export const PASSKEY_CHALLENGE_COOKIE = 'passkey_challenge';
export const PASSKEY_CHALLENGE_PATH = '/api/auth';
