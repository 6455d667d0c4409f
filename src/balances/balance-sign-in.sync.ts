import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { TemplatesConfig, type BalanceSettings } from '../config';
import { SignInEvents } from '../sessions';
import { BalanceRepository, type BalanceSync } from '../storage';

/** The write every sign-in makes, or null when LibreChat's sign-in would write nothing. */
export function balanceSyncOf(settings: BalanceSettings): BalanceSync | null {
  if (!settings.enabled || settings.startBalance === null) return null;
  return { startBalance: settings.startBalance, autoRefill: settings.autoRefill };
}

/**
 * LibreChat's `setBalanceConfig`, run on every completed sign-in (password, LDAP, 2FA step,
 * social, Apple, SAML, OpenID with or without token reuse) through `SignInEvents`: the user's
 * balance record is created with the start balance, or brought in step with the auto-refill
 * settings, in one atomic write. A store failure fails the sign-in (503), as LibreChat's login
 * fails when its balance step does: no session reaches the browser without its balance.
 */
@Injectable()
export class BalanceSignInSync implements OnModuleInit {
  private readonly logger = new Logger('Balances');
  private readonly sync: BalanceSync | null;

  constructor(
    private readonly events: SignInEvents,
    private readonly balances: BalanceRepository,
    private readonly clock: Clock,
    templates: TemplatesConfig,
  ) {
    this.sync = balanceSyncOf(templates.balance);
    if (templates.balance.enabled && !this.sync) {
      this.logger.warn(
        'balance is enabled without a start balance (balance.startBalance or START_BALANCE): as in LibreChat, sign-ins create and update no balance records',
      );
    }
  }

  onModuleInit(): void {
    // Disabled: no listener at all, so nothing is read or written.
    if (this.sync) this.events.register(({ user }) => this.apply(user.id));
  }

  /** Plain input: the signed-in user's id. */
  async apply(userId: string): Promise<void> {
    if (!this.sync) return;
    await this.balances.syncOnSignIn(userId, this.sync, this.clock.now());
  }
}
