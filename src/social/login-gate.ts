import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '../common/errors';
import { BansService, banTargetOf } from '../moderation';
import type { UserRecord } from '../storage';

/**
 * Last check before a browser sign-in opens a session, for every provider (LibreChat runs
 * checkBan in each OAuth success handler): a banned account, or a banned address, gets no
 * session (MB-08). Answers why, or null to let the sign-in through.
 */
@Injectable()
export class LoginGate {
  constructor(private readonly bans: BansService) {}

  async refusal(user: UserRecord, req: Request): Promise<'banned' | 'disabled' | null> {
    // An account disabled by an administrator signs in by no method (AD-01).
    if (user.disabled) return 'disabled';
    try {
      await this.bans.assertNotBanned(banTargetOf(req, user.id));
      return null;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'BANNED') return 'banned';
      throw error;
    }
  }
}
