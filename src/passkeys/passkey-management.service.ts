import { Injectable, Logger } from '@nestjs/common';
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { randomBytes } from 'node:crypto';
import { Clock } from '../common/clock';
import { RefreshSessionsService } from '../sessions';
import { PROVIDER_ID_FIELDS, PasskeyRecord, PasskeyRepository, UserRepository } from '../storage';
import { PASSKEY_CHALLENGE_TTL_MS, PasskeyChallengeStore } from './passkey-challenge.store';
import { webauthn } from './webauthn';
import { passkeyErrors } from './passkey-errors';
import { RelyingParty } from './relying-party';

/** The signed-in caller: who, and which session survives a change. */
export interface PasskeyCaller {
  userId: string;
  sessionId: string | null;
}

export interface PasskeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  backedUp: boolean;
  transports: string[];
  /** True once a signature-counter regression was seen; such a passkey is refused until removed. */
  flagged: boolean;
}

export function toPasskeyView(p: PasskeyRecord): PasskeyView {
  return {
    id: p.id,
    name: p.name,
    createdAt: p.createdAt.toISOString(),
    lastUsedAt: p.lastUsedAt ? p.lastUsedAt.toISOString() : null,
    backedUp: p.backedUp,
    transports: p.transports,
    flagged: p.flaggedAt !== null,
  };
}

const DEFAULT_NAME = 'Passkey';

/**
 * A signed-in user's passkeys: registration (options, then the browser's attestation) and list,
 * rename, remove. Every change ends the user's other sessions and is logged (PK-11).
 */
@Injectable()
export class PasskeyManagementService {
  private readonly logger = new Logger('Passkeys');

  constructor(
    private readonly passkeys: PasskeyRepository,
    private readonly users: UserRepository,
    private readonly sessions: RefreshSessionsService,
    private readonly challenges: PasskeyChallengeStore,
    private readonly rp: RelyingParty,
    private readonly clock: Clock,
  ) {}

  /** Creation options and the sealed challenge (for the cookie). */
  async registrationOptions(caller: PasskeyCaller): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; sealed: string }> {
    const relyingParty = this.rp.require();
    const user = await this.users.findById(caller.userId);
    if (!user) throw passkeyErrors.notFound();
    const existing = await this.passkeys.listByUser(user.id);
    // PK-07: one random handle per user, reused for every passkey, never the email or the database id.
    const userHandle = existing[0]?.userHandle ?? randomBytes(32).toString('base64url');
    const options = await webauthn().generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: relyingParty.rpId,
      userName: user.email,
      userDisplayName: user.name || user.email,
      userID: Buffer.from(userHandle, 'base64url'),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports as never })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      timeout: PASSKEY_CHALLENGE_TTL_MS,
    });
    const sealed = this.challenges.seal({ challenge: options.challenge, purpose: 'register', userId: user.id, userHandle });
    return { options, sealed };
  }

  async register(caller: PasskeyCaller, response: unknown, name: string | undefined, sealed: string | undefined): Promise<PasskeyView> {
    const relyingParty = this.rp.require();
    const challenge = await this.challenges.consume(sealed, 'register');
    if (!challenge || challenge.userId !== caller.userId || !challenge.userHandle) throw passkeyErrors.challenge();
    let info;
    try {
      const result = await webauthn().verifyRegistrationResponse({
        response: response as RegistrationResponseJSON,
        expectedChallenge: challenge.challenge,
        expectedOrigin: relyingParty.origins,
        expectedRPID: relyingParty.rpId,
        requireUserVerification: false,
      });
      if (!result.verified) throw new Error('not verified');
      info = result.registrationInfo;
    } catch (error) {
      this.logger.log(
        { event: 'passkey_registration_refused', userId: caller.userId, reason: error instanceof Error ? error.message : String(error) },
        'passkey registration refused',
      );
      throw passkeyErrors.registrationRejected();
    }
    const stored = await this.passkeys.add({
      userId: caller.userId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      name: name?.trim() || DEFAULT_NAME,
      userHandle: challenge.userHandle,
      backedUp: info.credentialBackedUp,
      createdAt: this.clock.now(),
    });
    // PK-06: a credential id already registered (to this or another account) is refused.
    if (!stored) throw passkeyErrors.duplicate();
    await this.changed(caller, 'passkey_registered', stored.id);
    return toPasskeyView(stored);
  }

  async list(userId: string): Promise<PasskeyView[]> {
    return (await this.passkeys.listByUser(userId)).map(toPasskeyView);
  }

  async rename(caller: PasskeyCaller, id: string, name: string): Promise<PasskeyView> {
    const renamed = await this.passkeys.rename(caller.userId, id, name.trim() || DEFAULT_NAME);
    if (!renamed) throw passkeyErrors.notFound();
    await this.changed(caller, 'passkey_renamed', id);
    return toPasskeyView(renamed);
  }

  async remove(caller: PasskeyCaller, id: string): Promise<void> {
    const user = await this.users.findById(caller.userId);
    const mine = await this.passkeys.listByUser(caller.userId);
    if (!user || !mine.some((p) => p.id === id)) throw passkeyErrors.notFound();
    // PK-12: never leave an account without a way in (no password, no provider identity, no other passkey).
    const otherWayIn = user.password !== null || PROVIDER_ID_FIELDS.some((f) => user[f] !== null) || mine.length > 1;
    if (!otherWayIn) throw passkeyErrors.lastMethod();
    if (!(await this.passkeys.remove(caller.userId, id))) throw passkeyErrors.notFound();
    await this.changed(caller, 'passkey_removed', id);
  }

  private async changed(caller: PasskeyCaller, event: string, passkeyId: string): Promise<void> {
    const ended = await this.sessions.revokeOthers(caller.userId, caller.sessionId);
    this.logger.log({ event, userId: caller.userId, passkeyId, endedSessions: ended }, 'passkeys changed; other sessions ended');
  }
}
