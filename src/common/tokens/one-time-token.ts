import { createHash, randomBytes } from 'node:crypto';

/** Kinds of single-use tokens in the `tokens` store (LibreChat's type names, docs/librechat-differences.md#data-model). */
export const TokenType = {
  EMAIL_VERIFICATION: 'email_verification',
  PASSWORD_RESET: 'password_reset',
  INVITE: 'invite',
} as const;

export interface FreshToken {
  /** Goes into the link and nowhere else: never stored, never logged. */
  token: string;
  /** What the store keeps. */
  hash: string;
}

/**
 * 256 bits from the CSPRNG (RS-01 asks for ≥128). Only the SHA-256 of the token is stored: with
 * this much entropy a fast hash cannot be brute-forced, and unlike bcrypt it lets the store find
 * the token by its hash, so a lookup costs the same whether or not the token exists.
 */
export function newOneTimeToken(): FreshToken {
  const token = randomBytes(32).toString('hex');
  return { token, hash: hashOneTimeToken(token) };
}

export function hashOneTimeToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
