import { Injectable, Logger } from '@nestjs/common';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { LoginService, type PasskeyProof, type SignedIn } from '../auth';
import { DomainError } from '../common/errors';
import type { SessionContext } from '../sessions';
import { PasskeyRepository, UserRepository } from '../storage';
import { TempTokenService, invalidTempToken } from '../two-factor';
import { PASSKEY_CHALLENGE_TTL_MS, PasskeyChallengeStore } from './passkey-challenge.store';
import { PasskeyAssertions } from './passkey-assertions';
import { passkeyErrors } from './passkey-errors';
import { RelyingParty } from './relying-party';
import { webauthn } from './webauthn';

/** Bound to an email hint that matches no account: no credential can ever belong to it. */
const NO_ACCOUNT = 'no-account';

/**
 * Signing in with a passkey: as the only factor (usernameless or with an email hint, including
 * conditional mediation) and as the second step of a 2FA sign-in. Both go through the one
 * assertion check; a passwordless sign-in then ends exactly where a password sign-in does
 * (LoginService.admit and signIn: bans, email verification, session, same answer).
 */
@Injectable()
export class PasskeySignInService {
  private readonly logger = new Logger('Passkeys');

  constructor(
    private readonly passkeys: PasskeyRepository,
    private readonly users: UserRepository,
    private readonly assertions: PasskeyAssertions,
    private readonly challenges: PasskeyChallengeStore,
    private readonly rp: RelyingParty,
    private readonly login: LoginService,
    private readonly temp: TempTokenService,
  ) {}

  /**
   * Request options for a passwordless sign-in. The email hint only binds the ceremony to that
   * account; it never changes the answer (no allowCredentials), so the options tell nobody whether
   * an address has an account or passkeys (PK-13). Discoverable credentials make this work.
   */
  async signInOptions(email: string | undefined): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; sealed: string }> {
    const relyingParty = this.rp.require();
    let userId: string | null = null;
    if (email) userId = (await this.users.findByEmail(email))?.id ?? NO_ACCOUNT;
    // Required: a passkey alone must be two factors in one (possession and the user's PIN or biometrics).
    const options = await webauthn().generateAuthenticationOptions({
      rpID: relyingParty.rpId,
      userVerification: 'required',
      timeout: PASSKEY_CHALLENGE_TTL_MS,
    });
    return { options, sealed: this.challenges.seal({ challenge: options.challenge, purpose: 'sign-in', userId }) };
  }

  async signIn(response: unknown, sealed: string | undefined, context: SessionContext): Promise<SignedIn> {
    const challenge = await this.challenges.consume(sealed, 'sign-in');
    if (!challenge) throw passkeyErrors.challenge();
    const passkey = await this.assertions.verify(response, challenge, { requireUserVerification: true });
    const user = await this.users.findById(passkey.userId);
    if (!user) throw passkeyErrors.rejected();
    await this.login.admit(user, context);
    const signedIn = await this.login.signIn(user, { ...context, provider: context.provider ?? 'local' });
    this.logger.log({ event: 'login', method: 'passkey', userId: user.id, passkeyId: passkey.id, ip: context.ip }, 'login succeeded');
    return signedIn;
  }

  /** Options for the second step of a 2FA sign-in: the temp token's user and that user's passkeys. */
  async secondFactorOptions(tempToken: string | undefined): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; sealed: string }> {
    const relyingParty = this.rp.require();
    const claims = tempToken ? await this.temp.read(tempToken) : null;
    if (!claims) throw invalidTempToken();
    const usable = (await this.passkeys.listByUser(claims.userId)).filter((p) => !p.flaggedAt);
    if (usable.length === 0) throw passkeyErrors.noPasskey();
    const options = await webauthn().generateAuthenticationOptions({
      rpID: relyingParty.rpId,
      allowCredentials: usable.map((p) => ({ id: p.credentialId, transports: p.transports as never })),
      userVerification: 'preferred',
      timeout: PASSKEY_CHALLENGE_TTL_MS,
    });
    return { options, sealed: this.challenges.seal({ challenge: options.challenge, purpose: 'second-factor', userId: claims.userId }) };
  }

  /** The PasskeyFactor handler: verify-temp keeps the temp-token rules and asks only this. */
  async verifySecondFactor(userId: string, proof: PasskeyProof): Promise<boolean> {
    const challenge = await this.challenges.consume(proof.challenge, 'second-factor');
    if (!challenge || challenge.userId !== userId) return false;
    try {
      await this.assertions.verify(proof.response, challenge, { requireUserVerification: false });
      return true;
    } catch (error) {
      // A refused assertion is a wrong second factor; an outage stays an outage (503).
      if (error instanceof DomainError && error.status === 401) return false;
      throw error;
    }
  }
}
