import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { IdpTokenVault, type IdpTokenSet } from '../storage';
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
  constructor(
    private readonly vault: IdpTokenVault,
    private readonly clock: Clock,
  ) {}

  save(userId: string, loginId: string, tokens: IdpTokenSet, provider: string): Promise<void> {
    return this.vault.save(userId, vaultKey(loginId, provider), tokens, this.clock.now());
  }

  load(userId: string, loginId: string, provider: string): Promise<IdpTokenSet | null> {
    return this.vault.load(userId, vaultKey(loginId, provider));
  }

  async delete(userId: string, loginId: string, provider: string): Promise<void> {
    await this.vault.delete(userId, vaultKey(loginId, provider));
  }
}
