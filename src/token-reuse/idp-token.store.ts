import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { IdpTokenVault, type IdpTokenSet } from '../storage';

/** Vault entries are per login (`openid:<login id>`), so each device keeps its own IdP tokens. */
export function vaultKey(loginId: string): string {
  return `openid:${loginId}`;
}

/** IdP tokens of one OpenID login, sealed in the IdpTokenVault (encrypted at rest). */
@Injectable()
export class IdpTokenStore {
  constructor(
    private readonly vault: IdpTokenVault,
    private readonly clock: Clock,
  ) {}

  save(userId: string, loginId: string, tokens: IdpTokenSet): Promise<void> {
    return this.vault.save(userId, vaultKey(loginId), tokens, this.clock.now());
  }

  load(userId: string, loginId: string): Promise<IdpTokenSet | null> {
    return this.vault.load(userId, vaultKey(loginId));
  }

  async delete(userId: string, loginId: string): Promise<void> {
    await this.vault.delete(userId, vaultKey(loginId));
  }
}
