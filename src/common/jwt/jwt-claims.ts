import { createSecretKey, type KeyObject } from 'node:crypto';

/**
 * A KeyObject built once: jsonwebtoken re-imports a string secret on every call, which costs
 * more than the HMAC itself on the bearer path.
 */
export function hmacKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/**
 * Checks jsonwebtoken leaves to the caller: a `crit` header names extensions we do not
 * understand, so the token must be refused (RFC 7515 §4.1.11); an `iat` in the future beyond
 * the clock tolerance marks a forged or mis-minted token.
 */
export function violatesIssuance(header: Record<string, unknown>, payload: Record<string, unknown>, nowSec: number, toleranceSec: number): boolean {
  if (header.crit !== undefined) return true;
  if (payload.iat !== undefined && (typeof payload.iat !== 'number' || payload.iat > nowSec + toleranceSec)) return true;
  return false;
}
