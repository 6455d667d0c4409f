import { Injectable, Logger } from '@nestjs/common';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { Clock } from '../common/clock';
import { PasskeyRecord, PasskeyRepository } from '../storage';
import type { OpenChallenge } from './passkey-challenge.store';
import { webauthn } from './webauthn';
import { passkeyErrors } from './passkey-errors';
import { RelyingParty } from './relying-party';

/**
 * The one check of a passkey assertion, for passwordless sign-in and for the second factor alike:
 * a known, unflagged credential of the expected user, the challenge of this ceremony, an allowed
 * origin and RP ID, a valid signature, and a signature counter that moved forward. A counter that
 * did not move forward (while either side counts) is a possible clone: the credential is flagged
 * and refused from then on (PK-04). The counter is stored by compare-and-swap (PK-05).
 */
@Injectable()
export class PasskeyAssertions {
  private readonly logger = new Logger('Passkeys');

  constructor(
    private readonly passkeys: PasskeyRepository,
    private readonly rp: RelyingParty,
    private readonly clock: Clock,
  ) {}

  /** The credential that made the assertion; throws PASSKEY_REJECTED otherwise. */
  async verify(response: unknown, challenge: OpenChallenge, options: { requireUserVerification: boolean }): Promise<PasskeyRecord> {
    const relyingParty = this.rp.require();
    if (!isAssertion(response)) throw this.refuse('malformed assertion', null);
    const passkey = await this.passkeys.findByCredentialId(response.id);
    // PK-08: an authenticator whose credential was never registered here.
    if (!passkey) throw this.refuse('unknown credential', null);
    if (passkey.flaggedAt) throw this.refuse('flagged credential (possible clone)', passkey);
    if (challenge.userId !== null && passkey.userId !== challenge.userId) throw this.refuse('credential of another user than the ceremony', passkey);
    if (response.response.userHandle && response.response.userHandle !== passkey.userHandle) throw this.refuse('user handle mismatch', passkey);
    let newCounter: number;
    try {
      const result = await webauthn().verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge.challenge,
        expectedOrigin: relyingParty.origins,
        expectedRPID: relyingParty.rpId,
        // The counter is judged below, so a regression can flag the credential (the library would only throw).
        credential: { id: passkey.credentialId, publicKey: Buffer.from(passkey.publicKey, 'base64url'), counter: 0, transports: passkey.transports as never },
        requireUserVerification: options.requireUserVerification,
      });
      if (!result.verified) throw new Error('not verified');
      newCounter = result.authenticationInfo.newCounter;
    } catch (error) {
      throw this.refuse(`verification failed: ${error instanceof Error ? error.message : String(error)}`, passkey);
    }
    const now = this.clock.now();
    if ((newCounter > 0 || passkey.counter > 0) && newCounter <= passkey.counter) {
      await this.passkeys.flag(passkey.credentialId, now);
      this.logger.warn(
        { event: 'passkey_counter_regression', userId: passkey.userId, passkeyId: passkey.id, stored: passkey.counter, presented: newCounter },
        'passkey flagged: signature counter went backwards (possible clone)',
      );
      throw passkeyErrors.rejected();
    }
    if (!(await this.passkeys.recordUse(passkey.credentialId, passkey.counter, newCounter, now))) throw this.refuse('counter changed concurrently', passkey);
    return { ...passkey, counter: newCounter, lastUsedAt: now };
  }

  private refuse(reason: string, passkey: PasskeyRecord | null) {
    this.logger.log({ event: 'passkey_assertion_refused', userId: passkey?.userId, passkeyId: passkey?.id, reason }, 'passkey assertion refused');
    return passkeyErrors.rejected();
  }
}

function isAssertion(value: unknown): value is AuthenticationResponseJSON {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const r = v.response as Record<string, unknown> | undefined;
  return (
    typeof v.id === 'string' &&
    v.id.length > 0 &&
    v.id.length <= 1024 &&
    typeof v.rawId === 'string' &&
    v.type === 'public-key' &&
    !!r &&
    typeof r === 'object' &&
    typeof r.clientDataJSON === 'string' &&
    typeof r.authenticatorData === 'string' &&
    typeof r.signature === 'string' &&
    (r.userHandle === undefined || r.userHandle === null || typeof r.userHandle === 'string')
  );
}
