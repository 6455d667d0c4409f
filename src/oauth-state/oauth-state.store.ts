import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Clock } from '../common/clock';
import type { CookieOptions, CookieInstructions, RequestCookies } from '../common/http';
import { SecretsConfig, SessionConfig } from '../config';
import { KeyValueStore } from '../storage';
import { SealedCookies } from './sealed-cookie';

/** What a sign-in attempt must remember between the redirect and the callback. */
export interface OAuthTransaction {
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
const COOKIE_PATH = '/oauth';
const DEFAULT_COOKIE: TransactionCookie = { sameSite: 'lax', path: COOKIE_PATH };

/**
 * The OAuth 2 / OpenID transaction store of every provider (OpenID, named OpenID, the passport
 * social providers, Apple). The transaction lives in a sealed cookie (key derived from
 * OPENID_SESSION_SECRET), one per state: any instance can finish the flow and two tabs can sign
 * in at once (OC-11); the cookie binds the state to this browser (OC-01) and a used marker makes
 * each state single-use even if the cookie is replayed.
 */
@Injectable()
export class OAuthStateStore {
  private readonly sealed: SealedCookies<OAuthTransaction>;

  constructor(
    secrets: SecretsConfig,
    private readonly session: SessionConfig,
    kv: KeyValueStore,
    private readonly clock: Clock,
  ) {
    // The purpose keeps the key derivation and AAD of the earlier OpenID-only store, so cookies
    // sealed before an upgrade still open.
    this.sealed = new SealedCookies(
      secrets.openidSessionSecret ?? secrets.jwtRefreshSecret,
      { prefix: 'oidc_tx_', purpose: 'openid-transaction', ttlMs: TTL_MS, maxOpen: 4 },
      kv,
    );
  }

  /**
   * `withPkce` may carry a verifier made by someone else (passport-oauth2 makes its own for the
   * social providers); `true` makes one here.
   */
  begin(
    cookies: RequestCookies | undefined,
    out: CookieInstructions,
    provider: string,
    withPkce: boolean | string,
    cookie: TransactionCookie = DEFAULT_COOKIE,
  ): OAuthTransaction {
    if (cookie === DEFAULT_COOKIE)
      this.sealed.pruneAbandoned(cookies, out, { httpOnly: true, secure: this.session.cookieSecure, sameSite: 'lax', path: COOKIE_PATH });
    const tx: OAuthTransaction = {
      state: randomBytes(32).toString('base64url'),
      nonce: randomBytes(32).toString('base64url'),
      codeVerifier: typeof withPkce === 'string' ? withPkce : withPkce ? randomBytes(32).toString('base64url') : null,
      provider,
      createdAt: this.clock.now().getTime(),
    };
    // Lax, not Strict: the callback is a top-level navigation coming from the IdP's site.
    this.sealed.seal(out, tx.state, tx, this.cookieOptions(cookie));
    return tx;
  }

  /** The transaction of `state`, consumed; null when missing, forged, expired, replayed or another provider's. */
  finish(
    cookies: RequestCookies | undefined,
    out: CookieInstructions,
    state: string | undefined,
    provider: string,
    cookie: TransactionCookie = DEFAULT_COOKIE,
  ): Promise<OAuthTransaction | null> {
    return this.sealed.consume(cookies, out, state, this.clock.now(), this.cookieOptions(cookie), (tx) => tx.state === state && tx.provider === provider);
  }

  private cookieOptions(cookie: TransactionCookie): CookieOptions {
    return { httpOnly: true, secure: cookie.sameSite === 'none' ? true : this.session.cookieSecure, sameSite: cookie.sameSite, path: cookie.path };
  }
}
