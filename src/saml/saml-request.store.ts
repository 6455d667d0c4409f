import { Injectable } from '@nestjs/common';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import { Clock } from '../common/clock';
import { CookieInstructions, applyCookies, type CookieOptions, type RequestCookies } from '../common/http';
import { SamlConfig, SessionConfig } from '../config';
import { SealedCookies } from '../oauth-state';
import { KeyValueStore } from '../storage';

/** Long enough for a person to type a password and a second factor at the IdP. */
export const SAML_REQUEST_TTL_MS = 10 * 60_000;
const COOKIE_PATH = '/oauth/saml';

/**
 * The AuthnRequest IDs we sent, kept like the OAuth state (the same `SealedCookies` helper from `oauth-state/`): in a cookie sealed with a key derived
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
  private readonly sealed: SealedCookies<{ id: string; createdAt: number }>;

  constructor(
    saml: SamlConfig,
    private readonly session: SessionConfig,
    kv: KeyValueStore,
    private readonly clock: Clock,
  ) {
    // Only built when SAML is enabled, which the config guarantees comes with a secret.
    this.sealed = new SealedCookies(
      saml.sessionSecret ?? randomBytes(32),
      { prefix: 'saml_tx_', purpose: 'saml-request', ttlMs: SAML_REQUEST_TTL_MS, maxOpen: 4 },
      kv,
    );
  }

  /** A fresh AuthnRequest ID (an xsd:ID: must not start with a digit) bound to this browser. */
  begin(req: FastifyRequest, res: FastifyReply): string {
    const cookies = new CookieInstructions();
    const held = req.cookies as RequestCookies | undefined;
    this.sealed.pruneAbandoned(held, cookies, this.cookieOptions());
    const id = `_${randomBytes(24).toString('hex')}`;
    this.sealed.seal(cookies, id, { id, createdAt: this.clock.now().getTime() }, this.cookieOptions());
    applyCookies(res, cookies);
    return id;
  }

  /**
   * True once for a request ID this browser holds, that is not older than the TTL and was not
   * used before. The ID is consumed here, before the response is verified: a failed attempt burns
   * it (fail closed), and two parallel posts of one response cannot both pass.
   */
  async consume(req: FastifyRequest, res: FastifyReply, inResponseTo: string | null): Promise<boolean> {
    const cookies = new CookieInstructions();
    const found = await this.sealed.consume(
      req.cookies as RequestCookies | undefined,
      cookies,
      inResponseTo,
      this.clock.now(),
      this.cookieOptions(),
      (v) => v.id === inResponseTo,
    );
    applyCookies(res, cookies);
    return found !== null;
  }

  private cookieOptions(): CookieOptions {
    const crossSite = this.session.cookieSecure;
    return { httpOnly: true, secure: crossSite, sameSite: crossSite ? 'none' : 'lax', path: COOKIE_PATH };
  }
}
