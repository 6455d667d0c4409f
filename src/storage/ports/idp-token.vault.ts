import { TokenCipher } from '../token-cipher';

/** Tokens an identity provider issued for one user. */
export interface IdpTokenSet {
  accessToken: string | null;
  idToken: string | null;
  refreshToken: string | null;
  /** When the access token expires. */
  expiresAt: Date | null;
  scope: string | null;
  /** The identity the tokens belong to (OpenID `sub` and `iss`), to refuse a refresh that changes it. */
  subject?: string | null;
  issuer?: string | null;
  /** ISO time of the last login or IdP refresh. */
  refreshedAt?: string | null;
  /** The refresh token replaced by the last rotation, honoured briefly for requests already in flight. */
  previousRefreshToken?: string | null;
}

export interface SealedIdpTokens {
  userId: string;
  provider: string;
  /** Ciphertext of the JSON token set, bound to (userId, provider). */
  sealed: string;
  expiresAt: Date | null;
  updatedAt: Date;
}

/**
 * IdP tokens are encrypted at rest: adapters only ever see ciphertext, so a database dump does
 * not leak them. The sealing lives here, once, for every adapter.
 */
export abstract class IdpTokenVault {
  protected constructor(private readonly cipher: TokenCipher) {}

  async save(userId: string, provider: string, tokens: IdpTokenSet, now: Date): Promise<void> {
    const plain = JSON.stringify({ ...tokens, expiresAt: tokens.expiresAt?.toISOString() ?? null });
    await this.writeSealed({
      userId,
      provider,
      sealed: this.cipher.seal(plain, aad(userId, provider)),
      expiresAt: tokens.expiresAt,
      updatedAt: now,
    });
  }

  /** Null when nothing is stored, or when the stored value cannot be opened with the current key. */
  async load(userId: string, provider: string): Promise<IdpTokenSet | null> {
    const row = await this.readSealed(userId, provider);
    if (!row) return null;
    const plain = this.cipher.open(row.sealed, aad(userId, provider));
    if (plain === null) return null;
    const parsed = JSON.parse(plain) as Omit<IdpTokenSet, 'expiresAt'> & { expiresAt: string | null };
    return { ...parsed, expiresAt: parsed.expiresAt ? new Date(parsed.expiresAt) : null };
  }

  /** Without `provider`, removes every provider's tokens of the user. */
  abstract delete(userId: string, provider?: string): Promise<number>;
  protected abstract writeSealed(row: SealedIdpTokens): Promise<void>;
  protected abstract readSealed(userId: string, provider: string): Promise<SealedIdpTokens | null>;
}

function aad(userId: string, provider: string): string {
  return `${userId}\u0000${provider}`;
}
