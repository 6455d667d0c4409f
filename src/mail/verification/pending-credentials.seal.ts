import { Injectable } from '@nestjs/common';
import { SecretsConfig } from '../../config';
import { TokenCipher } from '../../storage';
import type { PendingCredentials } from '../../users';

const FIELD = 'pending';

/**
 * Puts a registration's credentials into its verification token's metadata, sealed with a key
 * derived from CREDS_KEY and bound to the account, so the tokens store holds no readable password
 * hash and a metadata blob copied onto another account's token does not open (RS-09).
 */
@Injectable()
export class PendingCredentialsSeal {
  private readonly cipher: TokenCipher;

  constructor(secrets: SecretsConfig) {
    this.cipher = new TokenCipher(secrets.credsKey, 'gatehouse/pending-registration');
  }

  toMetadata(userId: string, pending: PendingCredentials): Record<string, string> {
    return { [FIELD]: this.cipher.seal(JSON.stringify(pending), userId) };
  }

  /** Null when the token carries no credentials or they do not open for this account. */
  fromMetadata(userId: string, metadata: Record<string, string> | null): PendingCredentials | null {
    const sealed = metadata?.[FIELD];
    if (!sealed) return null;
    const plain = this.cipher.open(sealed, userId);
    if (plain === null) return null;
    try {
      const parsed = JSON.parse(plain) as Partial<PendingCredentials>;
      return { passwordHash: parsed.passwordHash ?? null, name: parsed.name ?? null, username: parsed.username ?? null };
    } catch {
      return null;
    }
  }
}
