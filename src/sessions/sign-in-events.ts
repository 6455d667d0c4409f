import { Injectable, Logger } from '@nestjs/common';
import { SecurityEvents } from '../common/security-events';
import type { UserRecord } from '../storage';
import type { SessionContext } from './refresh-sessions.service';

/** One completed sign-in, whatever the method: the session (or token-reuse login) exists, the answer is not sent yet. */
export interface SignInEvent {
  user: UserRecord;
  /** `local`, `ldap`, `openid`, `openid-<name>`, `google`, `saml`, `apple`, `passkey`, ... */
  provider: string;
  context: SessionContext;
}

export type SignInListener = (event: SignInEvent) => Promise<void>;

/**
 * The one place every sign-in path reports to once the user is signed in: password, directory
 * (LDAP), the 2FA second step, social, Apple, SAML and OpenID (with and without token reuse).
 * Modules that must act on every sign-in (balances, audit, metrics) register a listener here
 * instead of each sign-in path calling them, so a new path cannot forget one.
 *
 * Listeners run in registration order and are awaited: a listener that fails (a store outage)
 * fails the sign-in with its error, as LibreChat's balance step fails its login. The caller's
 * `undo` then closes what the sign-in had already opened (its session), so a refused sign-in
 * leaves no live session behind that nobody holds a cookie for.
 */
@Injectable()
export class SignInEvents {
  private readonly listeners: SignInListener[] = [];
  private readonly logger = new Logger('SignInEvents');

  constructor(private readonly securityEvents: SecurityEvents) {}

  register(listener: SignInListener): void {
    this.listeners.push(listener);
  }

  async signedIn(event: SignInEvent, undo?: () => Promise<unknown>): Promise<void> {
    try {
      for (const listener of this.listeners) await listener(event);
    } catch (error) {
      // The sign-in fails with the listener's error whatever the undo does; a session the undo
      // could not close (the same outage) is logged, and expires or is swept like any other.
      await undo?.().catch((undoError: unknown) =>
        this.logger.error({ userId: event.user.id, err: undoError }, 'could not close the session of a failed sign-in'),
      );
      throw error;
    }
    await this.securityEvents.emit({
      type: 'sign_in.succeeded',
      userId: event.user.id,
      method: signInMethod(event.provider),
      provider: event.provider,
      ip: event.context.ip ?? null,
      userAgent: event.context.userAgent ?? null,
    });
  }

  /**
   * A browser sign-in (social, Apple, SAML, OpenID) that ended on the failure page. `reason` is
   * the provider flow's stable short word (state_invalid, banned, provider_unavailable, ...).
   * Never throws: the failure page is shown whatever the audit store does.
   */
  async failed(provider: string, reason: string, userId: string | null = null): Promise<void> {
    await this.securityEvents.emit({ type: 'sign_in.failed', userId, method: signInMethod(provider), provider, reason });
  }
}

/** The family of a sign-in provider, a bounded label for metrics: password, ldap, openid, saml, passkey or social. */
export function signInMethod(provider: string): string {
  if (provider === 'local') return 'password';
  if (provider === 'openid' || provider.startsWith('openid-')) return 'openid';
  if (provider === 'ldap' || provider === 'saml' || provider === 'passkey') return provider;
  return 'social';
}
