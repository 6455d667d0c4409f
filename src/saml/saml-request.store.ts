import { Injectable } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { createHash, randomBytes } from 'node:crypto';
import { Clock } from '../common/clock';
import { SamlConfig, SessionConfig } from '../config';
import { KeyValueStore, TokenCipher } from '../storage';

/** Long enough for a person to type a password and a second factor at the IdP. */
export const SAML_REQUEST_TTL_MS = 10 * 60_000;
const COOKIE_PREFIX = 'saml_tx_';
const COOKIE_PATH = '/oauth/saml';
/** Abandoned attempts beyond this many are dropped, oldest first, so cookies never outgrow request headers. */
const MAX_OPEN_REQUESTS = 4;

/**
 * The AuthnRequest IDs we sent, kept like the OAuth state: in a cookie sealed with a key derived
 * from SAML_SESSION_SECRET (one cookie per request, so two tabs can sign in at once and any
 * instance can finish), plus a "used" marker in the shared key-value store so a request ID is
 * accepted once (SA-04, SA-08). No express-session.
 *
 * The IdP answers with a cross-site form POST, and browsers only send a cookie on that POST when
 * it is `SameSite=None` (which they accept only with `Secure`). So this one cookie is
 * `SameSite=None; Secure` whenever the session cookies are secure (HTTPS deployments); every other
 * cookie keeps its own, stricter setting. Over plain HTTP (development) it falls back to `Lax`,
 * which reaches the callback only when the IdP is same-site (e.g. both on localhost). Binding the
 * request to the browser is what stops login CSRF: a response obtained by an attacker for their
 * own request cannot be finished in a victim's browser, which does not hold that cookie (SA-05).
 */
@Injectable()
export class SamlRequestStore {
  private readonly cipher: TokenCipher;

  constructor(
    saml: SamlConfig,
    private readonly session: SessionConfig,
    private readonly kv: KeyValueStore,
    private readonly clock: Clock,
  ) {
    // Only built when SAML is enabled, which the config guarantees comes with a secret.
    this.cipher = new TokenCipher(saml.sessionSecret ?? randomBytes(32), 'gatehouse/saml-request');
  }

  /** A fresh AuthnRequest ID (an xsd:ID: must not start with a digit) bound to this browser. */
  begin(req: Request, res: Response): string {
    this.pruneAbandoned(req, res);
    const id = `_${randomBytes(24).toString('hex')}`;
    const createdAt = this.clock.now().getTime();
    const sealed = `${createdAt}:${this.cipher.seal(JSON.stringify({ id, createdAt }), aad(id))}`;
    res.cookie(cookieName(id), sealed, { ...this.cookieOptions(), maxAge: SAML_REQUEST_TTL_MS });
    return id;
  }

  /**
   * True once for a request ID this browser holds, that is not older than the TTL and was not
   * used before. The ID is consumed here, before the response is verified: a failed attempt burns
   * it (fail closed), and two parallel posts of one response cannot both pass.
   */
  async consume(req: Request, res: Response, inResponseTo: string | null): Promise<boolean> {
    if (!inResponseTo || inResponseTo.length > 256) return false;
    const name = cookieName(inResponseTo);
    const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
    res.clearCookie(name, this.cookieOptions());
    if (typeof value !== 'string') return false;
    const plain = this.cipher.open(value.slice(value.indexOf(':') + 1), aad(inResponseTo));
    if (plain === null) return false;
    const { id, createdAt } = JSON.parse(plain) as { id: string; createdAt: number };
    const now = this.clock.now();
    if (id !== inResponseTo || now.getTime() - createdAt > SAML_REQUEST_TTL_MS || now.getTime() < createdAt) return false;
    return this.kv.setIfAbsent(`saml:request-used:${digest(id)}`, '1', SAML_REQUEST_TTL_MS, now);
  }

  private cookieOptions(): CookieOptions {
    const crossSite = this.session.cookieSecure;
    return { httpOnly: true, secure: crossSite, sameSite: crossSite ? 'none' : 'lax', path: COOKIE_PATH };
  }

  private pruneAbandoned(req: Request, res: Response): void {
    const cookies = (req.cookies ?? {}) as Record<string, unknown>;
    const open = Object.entries(cookies)
      .filter(([name, value]) => name.startsWith(COOKIE_PREFIX) && typeof value === 'string')
      .map(([name, value]) => ({ name, createdAt: Number((value as string).split(':')[0]) || 0 }))
      .sort((a, b) => b.createdAt - a.createdAt);
    for (const stale of open.slice(MAX_OPEN_REQUESTS - 1)) res.clearCookie(stale.name, this.cookieOptions());
  }
}

function digest(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

function cookieName(id: string): string {
  return `${COOKIE_PREFIX}${digest(id).slice(0, 16)}`;
}

function aad(id: string): string {
  return `saml-request\u0000${id}`;
}
