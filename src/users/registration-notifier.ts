import { Injectable, Logger } from '@nestjs/common';
import type { UserRecord } from '../storage';

/**
 * What happens after an account that still needs its email verified is created. The mail module
 * replaces this with one that sends the verification message; this default only logs.
 */
export abstract class RegistrationNotifier {
  abstract accountNeedsVerification(user: UserRecord): Promise<void>;
}

@Injectable()
export class LoggingRegistrationNotifier extends RegistrationNotifier {
  private readonly logger = new Logger('Registration');

  async accountNeedsVerification(user: UserRecord): Promise<void> {
    this.logger.warn(`account ${user.id} awaits email verification, but no mail sender is installed`);
  }
}
