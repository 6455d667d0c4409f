import { Injectable, Logger } from '@nestjs/common';
import type { UserRecord } from '../storage';

/**
 * What happens after an account that still needs its email verified is created. The users
 * module cannot depend on the mail module (mail depends on users), so the mail module installs
 * its sender here when it starts; until then (or without mail) this only logs.
 */
export abstract class RegistrationNotifier {
  /**
   * `pending` is what the registration that asks for this verification chose: verifying the
   * mailed link activates exactly these credentials (RS-09), whatever another registration of
   * the same unverified address chose before.
   */
  abstract accountNeedsVerification(user: UserRecord, pending: PendingCredentials): Promise<void>;
}

/** The credentials a registration chose, carried by its verification token until the address is proven. */
export interface PendingCredentials {
  /** Password hash (never the password). */
  passwordHash: string | null;
  name: string | null;
  username: string | null;
}

@Injectable()
export class SwitchableRegistrationNotifier extends RegistrationNotifier {
  private readonly logger = new Logger('Registration');
  private delegate: RegistrationNotifier | null = null;

  install(notifier: RegistrationNotifier): void {
    this.delegate = notifier;
  }

  async accountNeedsVerification(user: UserRecord, pending: PendingCredentials): Promise<void> {
    if (this.delegate) return this.delegate.accountNeedsVerification(user, pending);
    this.logger.warn(`account ${user.id} awaits email verification, but no mail sender is installed`);
  }
}
