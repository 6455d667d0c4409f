import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { KeyedLock } from '../common/keyed-lock';
import { newOneTimeToken } from '../common/tokens';
import { OneTimeTokenFilter, OneTimeTokenRepository } from '../storage';

export interface IssueRequest {
  type: string;
  /** Whose tokens a new one replaces: a user id, or an address for invites. */
  owner: { userId: string } | { email: string };
  email?: string;
  ttlMs: number;
  metadata?: Record<string, string>;
}

/**
 * Issues a one-time token that voids the owner's earlier tokens of the same type (RS-02). The new
 * token is stored first and the others removed after, so there is no moment without a valid
 * token for a request that is in flight; per owner the steps run one request at a time, so two
 * requests arriving together cannot both keep theirs. Returns the plain token (never stored).
 */
@Injectable()
export class TokenIssuer {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly tokens: OneTimeTokenRepository,
    private readonly clock: Clock,
  ) {}

  issue(request: IssueRequest): Promise<string> {
    const ownerFilter: OneTimeTokenFilter = { type: request.type, ...request.owner };
    const key = `${request.type}:${JSON.stringify(request.owner)}`;
    return this.lock.run(key, async () => {
      const { token, hash } = newOneTimeToken();
      const now = this.clock.now();
      const userId = 'userId' in request.owner ? request.owner.userId : undefined;
      await this.tokens.create({
        type: request.type,
        userId,
        email: request.email,
        tokenHash: hash,
        createdAt: now,
        expiresAt: new Date(now.getTime() + request.ttlMs),
        metadata: request.metadata,
      });
      for (const older of await this.tokens.find(ownerFilter, now)) {
        if (older.tokenHash !== hash) await this.tokens.deleteMany({ ...ownerFilter, tokenHash: older.tokenHash });
      }
      return token;
    });
  }
}
