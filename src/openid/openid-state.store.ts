import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash, randomBytes } from 'node:crypto';
import { Clock } from '../common/clock';
import { SecretsConfig, SessionConfig } from '../config';
import { KeyValueStore, TokenCipher } from '../storage';

/** What a login attempt must remember between the redirect and the callback. */
export interface OpenIdTransaction {
  state: string;
  nonce: string;
  /** PKCE verifier; null when PKCE is off. */
  codeVerifier: string | null;
  /** The provider that started the attempt: a callback is only finished by the same one (OC-06). */
  provider: string;
  createdAt: number;
}

/**
 * Where the transaction cookie is sent. The default suits callbacks that arrive as top-level
 * GET navigations (SameSite=Lax, all of `/oauth`). A provider whose callback is a cross-site
 * POST (Apple's form_post) needs SameSite=None, which browsers only accept with Secure; it gets
 * that for this one cookie, scoped to its callback path, and every other cookie keeps its own
 * rules (AP-05). Browsers treat http://localhost as secure, so Secure works in local setups too.
 */
export interface TransactionCookie {
  sameSite: 'lax' | 'none';
  path: string;
}

const TTL_MS = 10 * 60_000;
const COOKIE_PREFIX = 'oidc_tx_';
const COOKIE_PATH = '/oauth';
const DEFAULT_COOKIE: TransactionCookie = { sameSite: 'lax', path: COOKIE_PATH };
/** Abandoned attempts beyond this many are dropped, oldest first, so cookies never outgrow request headers. */
const MAX_OPEN_TRANSACTIONS = 4;

/**
 * The transaction lives in an AES-GCM sealed cookie (signed and encrypted with a key derived
 * from OPENID_SESSION_SECRET), one cookie per state: any instance can finish the flow and two
 * tabs can sign in at once (OC-11). The cookie binds the state to this browser (OC-01); a
 * consumed marker in the shared key-value store makes each state single-use even if the
 * cookie is replayed.
 */
@Injectable()
export class OpenIdStateStore {
  private readonly cipher: TokenCipher;

  constructor(
    secrets: SecretsConfig,
    private readonly session: SessionConfig,
    private readonly kv: KeyValueStore,
    private readonly clock: Clock,
  ) {
    this.cipher = new TokenCipher(secrets.openidSessionSecret ?? secrets.jwtRefreshSecret, 'gatehouse/openid-transaction');
  }

  /**
   * `withPkce` may carry a verifier made by someone else (passport-oauth2 makes its own for the
   * social providers); `true` makes one here.
   */
  begin(req: Request, res: Response, provider: string, withPkce: boolean | string, cookie: TransactionCookie = DEFAULT_COOKIE): OpenIdTransaction {
    if (cookie === DEFAULT_COOKIE) this.pruneAbandoned(req, res);
    const tx: OpenIdTransaction = {
      state: randomBytes(32).toString('base64url'),
      nonce: randomBytes(32).toString('base64url'),
      codeVerifier: typeof withPkce === 'string' ? withPkce : withPkce ? randomBytes(32).toString('base64url') : null,
      provider,
      createdAt: this.clock.now().getTime(),
    };
    const sealed = `${tx.createdAt}:${this.cipher.seal(JSON.stringify(tx), aad(tx.state))}`;
    // Lax, not Strict: the callback is a top-level navigation coming from the IdP's site.
    res.cookie(cookieName(tx.state), sealed, { ...this.cookieOptions(cookie), maxAge: TTL_MS });
    return tx;
  }

  private cookieOptions(cookie: TransactionCookie) {
    return { httpOnly: true, secure: cookie.sameSite === 'none' ? true : this.session.cookieSecure, sameSite: cookie.sameSite, path: cookie.path } as const;
  }

  private pruneAbandoned(req: Request, res: Response): void {
    const cookies = (req.cookies ?? {}) as Record<string, unknown>;
    const open = Object.entries(cookies)
      .filter(([name, value]) => name.startsWith(COOKIE_PREFIX) && typeof value === 'string')
      .map(([name, value]) => ({ name, createdAt: this.createdAtOf(value as string) }))
      .sort((a, b) => b.createdAt - a.createdAt);
    for (const stale of open.slice(MAX_OPEN_TRANSACTIONS - 1)) res.clearCookie(stale.name, { httpOnly: true, secure: this.session.cookieSecure, sameSite: 'lax', path: COOKIE_PATH });
  }

  /**
   * The cookie value starts with its creation time in clear (`<ms>:<sealed>`), only to pick which
   * abandoned attempts to drop: the sealed copy inside decides expiry, so editing it gains nothing.
   */
  private createdAtOf(value: string): number {
    const at = Number(value.slice(0, value.indexOf(':')));
    return Number.isFinite(at) ? at : 0;
  }

  /** The transaction of `state`, consumed; null when missing, forged, expired, replayed or another provider's. */
  async finish(req: Request, res: Response, state: string | undefined, provider: string, cookie: TransactionCookie = DEFAULT_COOKIE): Promise<OpenIdTransaction | null> {
    if (!state || state.length > 256) return null;
    const name = cookieName(state);
    const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
    res.clearCookie(name, this.cookieOptions(cookie));
    if (typeof value !== 'string') return null;
    const plain = this.cipher.open(value.slice(value.indexOf(':') + 1), aad(state));
    if (plain === null) return null;
    const tx = JSON.parse(plain) as OpenIdTransaction;
    const now = this.clock.now();
    if (tx.state !== state || tx.provider !== provider || now.getTime() - tx.createdAt > TTL_MS) return null;
    const first = await this.kv.setIfAbsent(`openid:state-used:${digest(state)}`, '1', TTL_MS, now);
    return first ? tx : null;
  }
}

function digest(state: string): string {
  return createHash('sha256').update(state).digest('base64url');
}

function cookieName(state: string): string {
  return `${COOKIE_PREFIX}${digest(state).slice(0, 16)}`;
}

function aad(state: string): string {
  return `openid-transaction\u0000${state}`;
}
