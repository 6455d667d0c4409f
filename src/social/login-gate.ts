import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors';
import { BansService, banTargetFor } from '../moderation';
import type { UserRecord } from '../storage';

/**
 * Last check before a browser sign-in opens a session, for every provider (LibreChat runs
 * checkBan in each OAuth success handler): a banned account, or a banned address, gets no
 * session (MB-08). Answers why, or null to let the sign-in through.
 */
@Injectable()
export class LoginGate {
  constructor(private readonly bans: BansService) {}

  /** `addressKey`: the client's address key (`SessionContext.addressKey`, from `clientAddress`). */
  async refusal(user: UserRecord, addressKey: string): Promise<'banned' | 'disabled' | null> {
    // An account disabled by an administrator signs in by no method (AD-01).
    if (user.disabled) return 'disabled';
    try {
      await this.bans.assertNotBanned(banTargetFor(addressKey, user.id));
      return null;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'BANNED') return 'banned';
      throw error;
    }
  }
}
