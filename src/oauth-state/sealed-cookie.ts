import { createHash } from 'node:crypto';
import type { CookieOptions, CookieInstructions, RequestCookies } from '../common/http';
import { KeyValueStore, TokenCipher } from '../storage';

/** What every sealed value carries: its creation time, which decides expiry. */
export interface Sealed {
  createdAt: number;
}

export interface SealedCookieSpec {
  /** Cookie names are `<prefix><16 chars of sha256(key)>`. */
  prefix: string;
  /** Names the cipher key derivation, the AAD and the used-marker namespace, so values of one purpose never open as another. */
  purpose: string;
  ttlMs: number;
  /** Abandoned cookies beyond this many are dropped, oldest first, so cookies never outgrow request headers. */
  maxOpen: number;
}

/**
 * A browser-held, single-use value for a redirect round trip (OAuth state, SAML request IDs, and any
 * later ceremony such as a passkey challenge): the value is sealed (AES-256-GCM, key derived from
 * the given secret and purpose) into one cookie per key, so any instance can finish the flow and
 * two tabs can run at once; the cookie binds the flow to this browser; a used marker in the shared
 * key-value store makes each key single-use even if the cookie is replayed. No server session.
 *
 * HTTP-free: it reads the request's cookies as a record and answers with cookie instructions.
 */
export class SealedCookies<T extends Sealed> {
  private readonly cipher: TokenCipher;

  constructor(
    secret: string | Buffer,
    private readonly spec: SealedCookieSpec,
    private readonly kv: KeyValueStore,
  ) {
    this.cipher = new TokenCipher(secret, `gatehouse/${spec.purpose}`);
  }

  /**
   * Seals `value` under `key`. The cookie value starts with its creation time in clear
   * (`<ms>:<sealed>`), only to pick which abandoned cookies to drop: the sealed copy decides expiry,
   * so editing the clear part gains nothing.
   */
  seal(out: CookieInstructions, key: string, value: T, options: CookieOptions): void {
    out.setCookie(this.cookieName(key), `${value.createdAt}:${this.cipher.seal(JSON.stringify(value), this.aad(key))}`, {
      ...options,
      maxAge: this.spec.ttlMs,
    });
  }

  /** Clears all but the newest `maxOpen - 1` cookies of this kind (called before sealing a new one). */
  pruneAbandoned(cookies: RequestCookies | undefined, out: CookieInstructions, options: CookieOptions): void {
    const open = Object.entries(cookies ?? {})
      .filter(([name, value]) => name.startsWith(this.spec.prefix) && typeof value === 'string')
      .map(([name, value]) => ({ name, createdAt: createdAtOf(value as string) }))
      .sort((a, b) => b.createdAt - a.createdAt);
    for (const stale of open.slice(this.spec.maxOpen - 1)) out.clearCookie(stale.name, options);
  }

  /**
   * The value sealed under `key`, consumed: its cookie is cleared whatever happens (fail closed);
   * null when missing, forged, expired, from the future, refused by `accept`, or used before.
   */
  async consume(
    cookies: RequestCookies | undefined,
    out: CookieInstructions,
    key: string | null | undefined,
    now: Date,
    options: CookieOptions,
    accept: (value: T) => boolean,
  ): Promise<T | null> {
    if (!key || key.length > 256) return null;
    const name = this.cookieName(key);
    const raw = cookies?.[name];
    out.clearCookie(name, options);
    if (typeof raw !== 'string') return null;
    const plain = this.cipher.open(raw.slice(raw.indexOf(':') + 1), this.aad(key));
    if (plain === null) return null;
    const value = JSON.parse(plain) as T;
    const age = now.getTime() - value.createdAt;
    if (age > this.spec.ttlMs || age < 0 || !accept(value)) return null;
    const first = await this.kv.setIfAbsent(`${this.spec.purpose}:used:${digest(key)}`, '1', this.spec.ttlMs, now);
    return first ? value : null;
  }

  private cookieName(key: string): string {
    return `${this.spec.prefix}${digest(key).slice(0, 16)}`;
  }

  private aad(key: string): string {
    return `${this.spec.purpose}\u0000${key}`;
  }
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

function createdAtOf(value: string): number {
  const at = Number(value.slice(0, value.indexOf(':')));
  return Number.isFinite(at) ? at : 0;
}
