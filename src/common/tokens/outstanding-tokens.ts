import * as bcrypt from 'bcrypt';
import type { OneTimeTokenRecord, OneTimeTokenRepository } from '../../storage';
import { hashOneTimeToken } from './one-time-token';

/** Whose token it is: the fields the token was issued for (user id and/or address). */
export interface TokenOwner {
  userId?: string;
  email?: string;
}

/** Bounds the bcrypt work an unknown token can cause: LibreChat kept one live token per user and kind. */
const MAX_BCRYPT_CANDIDATES = 3;
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$/;

/**
 * The live token of this kind and owner that `token` opens, or null (MB-24). Gatehouse stores the
 * SHA-256 of a typed token; a database LibreChat wrote also holds, within their lifetime:
 * verification and reset tokens stored as bcrypt hashes, and tokens (invites, older resets)
 * without a `type`. Those are accepted too; nothing else is (another kind, another owner).
 */
export async function findOneTimeToken(
  tokens: OneTimeTokenRepository,
  type: string,
  owner: TokenOwner,
  token: string,
  now: Date,
): Promise<OneTimeTokenRecord | null> {
  const tokenHash = hashOneTimeToken(token);
  const [exact] = await tokens.find({ type, ...owner, tokenHash }, now);
  if (exact) return exact;
  const candidates = (await tokens.find({ ...owner }, now)).filter((c) => c.type === type || c.type === '');
  const untyped = candidates.find((c) => c.type === '' && c.tokenHash === tokenHash);
  if (untyped) return untyped;
  // Newest first: LibreChat replaced older tokens of a kind when it issued a new one.
  const hashed = candidates
    .filter((c) => BCRYPT_HASH.test(c.tokenHash))
    .reverse()
    .slice(0, MAX_BCRYPT_CANDIDATES);
  for (const candidate of hashed) {
    if (await bcrypt.compare(token, candidate.tokenHash)) return candidate;
  }
  return null;
}

/**
 * Spends the token `token` opens, atomically (consumeOne on its stored hash): of two parallel
 * submissions only one gets the record.
 */
export async function consumeOneTimeToken(
  tokens: OneTimeTokenRepository,
  type: string,
  owner: TokenOwner,
  token: string,
  now: Date,
): Promise<OneTimeTokenRecord | null> {
  const exact = await tokens.consumeOne({ type, ...owner, tokenHash: hashOneTimeToken(token) }, now);
  if (exact) return exact;
  const found = await findOneTimeToken(tokens, type, owner, token, now);
  return found ? tokens.consumeOne({ ...owner, tokenHash: found.tokenHash }, now) : null;
}
