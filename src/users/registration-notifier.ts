import { Injectable, Logger } from '@nestjs/common';
import type { UserRecord } from '../storage';

/**
 * What happens after an account that still needs its email verified is created. The users
 * module cannot depend on the mail module (mail depends on users), so the mail module installs
 * its sender here when it starts; until then (or without mail) this only logs.
 */
export abstract class RegistrationNotifier {
  abstract accountNeedsVerification(user: UserRecord): Promise<void>;
}

@Injectable()
export class SwitchableRegistrationNotifier extends RegistrationNotifier {
  private readonly logger = new Logger('Registration');
  private delegate: RegistrationNotifier | null = null;

  install(notifier: RegistrationNotifier): void {
    this.delegate = notifier;
  }

  async accountNeedsVerification(user: UserRecord): Promise<void> {
    if (this.delegate) return this.delegate.accountNeedsVerification(user);
    this.logger.warn(`account ${user.id} awaits email verification, but no mail sender is installed`);
  }
}
