import { Injectable } from '@nestjs/common';
import type { CookieInstructions } from '../common/http';
import { RefreshSessionsService, SessionCookies, SignInEvents, type BrowserContext } from '../sessions';
import type { UserRecord } from '../storage';
import { FederatedAccountRefusal, FederatedAccounts, type FederatedIdentity } from '../users';
import { LoginGate } from './login-gate';
import { SocialLoginFailure, type SocialIdentity } from './social-identity';

/**
 * The social sign-in use case: the account rule is the one every browser sign-in shares
 * (`FederatedAccounts`: identity first, verified-only linking, an unverified local account
 * stripped of its credentials before a link (SO-05), registration switch, domain allow-list);
 * this class adds the avatar rule (a manually chosen avatar, `?manual=true`, is never replaced)
 * and opens the session after the `LoginGate`.
 */
/**
 * How a provider's new accounts are made, where it differs from the social default: LDAP (like
 * LibreChat's strategy) creates accounts whatever ALLOW_SOCIAL_REGISTRATION says, since the
 * directory itself decides who may sign in, and the very first account becomes ADMIN.
 */
export type ResolvePolicy = Pick<FederatedIdentity, 'createWithoutSocialRegistration' | 'firstUserRole'>;

@Injectable()
export class SocialLoginService {
  constructor(
    private readonly accounts: FederatedAccounts,
    private readonly sessions: RefreshSessionsService,
    private readonly cookies: SessionCookies,
    private readonly gate: LoginGate,
    private readonly events: SignInEvents,
  ) {}

  async resolve(identity: SocialIdentity, policy: ResolvePolicy = {}): Promise<UserRecord> {
    try {
      return await this.accounts.resolve({
        ...policy,
        provider: identity.provider,
        slot: identity.key,
        id: identity.id,
        email: identity.email,
        emailVerified: identity.emailVerified,
        profile: { name: identity.name, username: identity.username, avatar: identity.avatar },
        refreshPatch: (user) => (identity.avatar && identity.avatar !== user.avatar && !isManualAvatar(user.avatar) ? { avatar: identity.avatar } : {}),
      });
    } catch (error) {
      if (error instanceof FederatedAccountRefusal) throw new SocialLoginFailure(error.reason, error.message);
      throw error;
    }
  }

  /** Reports a browser sign-in that ended on the failure page (audit, metrics). */
  reportFailure(provider: string, reason: string): Promise<void> {
    return this.events.failed(provider, reason);
  }

  /**
   * Opens the same refresh session as a password login (docs/librechat-differences.md#social-sign-in)
   * after the gate allows it, and answers with the session cookies to set. `context` is the
   * browser's (`sessionContextOf(req, provider)`); its address key is what the ban check uses.
   */
  async signIn(user: UserRecord, context: BrowserContext): Promise<CookieInstructions> {
    const refusal = await this.gate.refusal(user, context.addressKey);
    if (refusal) throw new SocialLoginFailure(refusal, `${context.provider}: ${refusal}`);
    const { token, session } = await this.sessions.issue(user.id, context);
    await this.events.signedIn({ user, provider: context.provider ?? 'social', context }, () => this.sessions.revoke(session.id));
    return this.cookies.toSet(token, session.expiresAt);
  }
}

/** LibreChat marks an avatar the user uploaded with `?manual=true`. */
function isManualAvatar(avatar: string | null): boolean {
  return !!avatar && /[?&]manual=true\b/.test(avatar);
}
