import { Injectable } from '@nestjs/common';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { CookieInstructions, applyCookies, type CookieOptions } from '../common/http';
import { createHash } from 'node:crypto';
import { PASSKEY_CHALLENGE_COOKIE, PASSKEY_CHALLENGE_PATH } from '../auth';
import { Clock } from '../common/clock';
import { SecretsConfig, SessionConfig } from '../config';
import { KeyValueStore, TokenCipher } from '../storage';

/** WebAuthn's recommended ceremony timeout; a challenge older than this is refused (PK-02). */
export const PASSKEY_CHALLENGE_TTL_MS = 5 * 60_000;

export type CeremonyPurpose = 'register' | 'sign-in' | 'second-factor';

export interface OpenChallenge {
  challenge: string;
  purpose: CeremonyPurpose;
  /** The user the ceremony is for: the registering user, the 2FA user, or the email hint's account; null for usernameless sign-in. */
  userId: string | null;
  /** Registration only: the user handle the new credential is created under. */
  userHandle?: string;
}

/**
 * The challenge of a WebAuthn ceremony lives only in this browser, in a cookie sealed with the
 * shared TokenCipher (key derived from JWT_REFRESH_SECRET for this purpose), like the OAuth state:
 * any instance can finish the ceremony, a challenge cannot be used from another browser (PK-03),
 * and a "spent" marker in the shared key-value store makes it single-use (PK-01). Its age is
 * judged with the injected Clock (PK-02). One cookie: a new ceremony replaces an abandoned one.
 */
@Injectable()
export class PasskeyChallengeStore {
  private readonly cipher: TokenCipher;

  constructor(
    secrets: SecretsConfig,
    private readonly session: SessionConfig,
    private readonly kv: KeyValueStore,
    private readonly clock: Clock,
  ) {
    this.cipher = new TokenCipher(secrets.jwtRefreshSecret, 'gatehouse/passkey-challenge');
  }

  /** The sealed cookie value for a fresh ceremony. */
  seal(open: OpenChallenge): string {
    const createdAt = this.clock.now().getTime();
    return this.cipher.seal(JSON.stringify({ ...open, createdAt }), AAD);
  }

  /**
   * The ceremony this sealed value stands for, once: null when it was not sealed here, is of
   * another purpose, older than the TTL (or from the future), or was already spent. Spent before
   * the response is checked, so a failed attempt burns it too (fail closed).
   */
  async consume(sealed: string | undefined, purpose: CeremonyPurpose): Promise<OpenChallenge | null> {
    if (typeof sealed !== 'string' || sealed.length > 4096) return null;
    const plain = this.cipher.open(sealed, AAD);
    if (plain === null) return null;
    const parsed = JSON.parse(plain) as OpenChallenge & { createdAt: number };
    const now = this.clock.now();
    const age = now.getTime() - parsed.createdAt;
    if (parsed.purpose !== purpose || age > PASSKEY_CHALLENGE_TTL_MS || age < 0) return null;
    const spent = await this.kv.setIfAbsent(`passkey:challenge-spent:${digest(parsed.challenge)}`, '1', PASSKEY_CHALLENGE_TTL_MS, now);
    if (!spent) return null;
    return { challenge: parsed.challenge, purpose: parsed.purpose, userId: parsed.userId, userHandle: parsed.userHandle };
  }

  write(res: FastifyReply, sealed: string): void {
    applyCookies(res, new CookieInstructions().setCookie(PASSKEY_CHALLENGE_COOKIE, sealed, { ...this.cookieOptions(), maxAge: PASSKEY_CHALLENGE_TTL_MS }));
  }

  /** Reads and clears the cookie: a ceremony answer is the last use of its challenge. */
  take(req: FastifyRequest, res: FastifyReply): string | undefined {
    const value = (req.cookies as Record<string, unknown> | undefined)?.[PASSKEY_CHALLENGE_COOKIE];
    applyCookies(res, new CookieInstructions().clearCookie(PASSKEY_CHALLENGE_COOKIE, this.cookieOptions()));
    return typeof value === 'string' ? value : undefined;
  }

  private cookieOptions(): CookieOptions {
    // Every ceremony is same-origin fetch from the sign-in page, so Strict costs nothing.
    return { httpOnly: true, secure: this.session.cookieSecure, sameSite: 'strict', path: PASSKEY_CHALLENGE_PATH };
  }
}

const AAD = 'passkey-challenge';

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
