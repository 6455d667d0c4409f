import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { MaybePromise } from '../common/maybe-async';
import { RecentCache } from '../common/recent-cache';
import { IdpTokenVault, StoreChangeFeed, type IdpTokenSet } from '../storage';
import { DEFAULT_REUSE_PROVIDER } from './openid-user-cookie';

/**
 * Vault entries are per login, so each device keeps its own IdP tokens, and per provider: the
 * default provider's keep LibreChat-era keys (`openid:<login id>`), a named provider's are
 * `openid-<name>:<login id>`, so a login id can only ever reach the tokens of the provider that
 * opened it.
 */
export function vaultKey(loginId: string, provider: string = DEFAULT_REUSE_PROVIDER): string {
  return provider === DEFAULT_REUSE_PROVIDER ? `openid:${loginId}` : `${provider}:${loginId}`;
}

/** IdP tokens of one OpenID login, sealed in the IdpTokenVault (encrypted at rest). */
@Injectable()
export class IdpTokenStore {
  /** `userId` + NUL + vault key → whether the login's tokens are stored. */
  private readonly live: RecentCache<boolean>;

  constructor(
    private readonly vault: IdpTokenVault,
    private readonly clock: Clock,
    changes: StoreChangeFeed,
  ) {
    this.live = new RecentCache(clock);
    // Every removal from the vault (logout, back-channel logout, admin revocation, account
    // deletion) is announced; a user's ended logins stop at once.
    changes.subscribe((change) => {
      if (change.kind !== 'idp-tokens') return;
      const { userId } = change;
      if (userId === null) this.live.clear();
      else this.live.deleteWhere((key) => key.startsWith(`${userId}\0`));
    });
  }

  save(userId: string, loginId: string, tokens: IdpTokenSet, provider: string): Promise<void> {
    return this.vault.save(userId, vaultKey(loginId, provider), tokens, this.clock.now());
  }

  load(userId: string, loginId: string, provider: string): Promise<IdpTokenSet | null> {
    return this.vault.load(userId, vaultKey(loginId, provider));
  }

  /**
   * Whether the login is still live (its tokens are in the vault), for the bearer path, on every
   * request that carries a reused IdP token: answered from a lookup made less than 1 s ago
   * (RECENT_LOOKUP_MS). Tokens that no longer open with the current key count as ended, as in `load`.
   */
  isLive(userId: string, loginId: string, provider: string): MaybePromise<boolean> {
    return this.live.get(`${userId}\0${vaultKey(loginId, provider)}`, async () => (await this.load(userId, loginId, provider)) !== null);
  }

  async delete(userId: string, loginId: string, provider: string): Promise<void> {
    await this.vault.delete(userId, vaultKey(loginId, provider));
  }
}
