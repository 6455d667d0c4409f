import { Injectable } from '@nestjs/common';
import type { UserRecord } from '../storage';

/**
 * Last check before a browser sign-in opens a session (LibreChat runs checkBan here). The
 * moderation module replaces this provider; until then every resolved account may sign in.
 */
@Injectable()
export class LoginGate {
  async refusal(_user: UserRecord): Promise<string | null> {
    return null;
  }
}
