import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { sessionContextOf } from '../auth';
import { clientIp } from '../common/client-ip';
import { OpenIdConfig, ServerConfig } from '../config';
import { RefreshSessionsService, SessionCookies, SignInEvents } from '../sessions';
import { failureRedirect, LoginGate, successRedirect, type LoginProvider } from '../social';
import { BackchannelLogins } from './backchannel/backchannel-logins';
import { BackchannelLogoutService } from './backchannel/backchannel-logout.service';
import { looksLikeJwt } from './idp-jwt.verifier';
import { IdpTokenStore } from './idp-token.store';
import { OPAQUE_ACCESS_TOKEN_HINT, OpenIdFailure } from './openid-errors';
import { OPENID_PROVIDER_DOMAINS, OPENID_PROVIDER_NAME, OpenIdLoginService, type OpenIdLogin } from './openid-login.service';
import { ReuseCookies } from './token-reuse/reuse-cookies';

/**
 * `/oauth/openid` and its callback. Every outcome is a redirect: the IdP, DOMAIN_CLIENT with a
 * session, or `${DOMAIN_CLIENT}/login?redirect=false&error=auth_failed` with the reason logged
 * (never a 500 or JSON in the browser).
 */
@Injectable()
export class OpenIdLoginProvider implements LoginProvider {
  private readonly logger: Logger;

  constructor(
    private readonly flow: OpenIdLoginService,
    private readonly config: OpenIdConfig,
    private readonly server: ServerConfig,
    private readonly sessions: RefreshSessionsService,
    private readonly cookies: SessionCookies,
    private readonly reuseCookies: ReuseCookies,
    private readonly store: IdpTokenStore,
    private readonly gate: LoginGate,
    private readonly backchannel: BackchannelLogoutService,
    private readonly idpSessions: BackchannelLogins,
    private readonly events: SignInEvents,
    @Inject(OPENID_PROVIDER_NAME) readonly name: string,
    @Inject(OPENID_PROVIDER_DOMAINS) readonly domains: readonly string[],
  ) {
    this.logger = new Logger(name === 'openid' ? 'OpenIdLogin' : `OpenIdLogin:${name}`);
  }

  get label(): string {
    return this.config.buttonLabel;
  }

  get loginPath(): string {
    return this.name.startsWith('openid-') ? `/oauth/openid/${this.name.slice('openid-'.length)}` : `/oauth/${this.name}`;
  }

  get iconUrl(): string | null {
    return this.config.imageUrl;
  }

  get scopes(): string[] {
    return this.config.scope.split(/\s+/).filter(Boolean);
  }

  async start(req: Request, res: Response): Promise<void> {
    try {
      res.redirect(302, await this.flow.authorizationUrl(req, res));
    } catch (error) {
      this.fail(res, error, 'start');
    }
  }

  async callback(req: Request, res: Response): Promise<void> {
    try {
      const login = await this.flow.finish(req, res);
      // The same last check as every other browser sign-in (ban seam).
      const refusal = await this.gate.refusal(login.user, req);
      if (refusal) throw new OpenIdFailure(refusal === 'banned' ? 'banned' : 'rejected', refusal);
      if (this.config.reuseTokens) await this.startReuseSession(res, login);
      else await this.startLocalSession(req, res, login);
      await this.events.signedIn({ user: login.user, provider: this.name, context: sessionContextOf(req, this.name) });
      this.logger.log({ event: 'login', provider: this.name, userId: login.user.id, ip: clientIp(req) }, 'OpenID login succeeded');
      res.redirect(302, successRedirect(this.server));
    } catch (error) {
      this.fail(res, error, 'callback');
    }
  }

  /** Without token reuse: the same refresh session as a password login (docs/librechat-differences.md#openid-sign-in-and-token-reuse). */
  private async startLocalSession(req: Request, res: Response, { user, tokens, claims }: OpenIdLogin): Promise<void> {
    const { token, session } = await this.sessions.issue(user.id, sessionContextOf(req, 'openid'));
    // Only the ID token is kept, for `id_token_hint` at logout (LO-01).
    await this.store.save(user.id, session.id, { accessToken: null, idToken: tokens.idToken, refreshToken: null, expiresAt: null, scope: null, subject: claims.sub, issuer: claims.iss });
    // Back-channel logout finds this login by the IdP session (`sid`) or subject (BL-06).
    await this.idpSessions.remember(claims, { userId: user.id, loginId: session.id, reuse: false });
    this.cookies.write(res, token, session.expiresAt, 'openid');
  }

  /** OPENID_REUSE_TOKENS: the IdP tokens are the session (docs/librechat-differences.md#openid-sign-in-and-token-reuse). */
  private async startReuseSession(res: Response, { user, tokens, claims }: OpenIdLogin): Promise<void> {
    if (!tokens.refreshToken) {
      // LibreChat silently sets no cookie and the user bounces back to login (LibreChat defect D-33, docs/librechat-differences.md).
      throw new OpenIdFailure('configuration', 'OPENID_REUSE_TOKENS=true but the provider returned no refresh token; add offline_access to OPENID_SCOPE or allow refresh tokens for this client at the provider');
    }
    if (tokens.accessToken && !looksLikeJwt(tokens.accessToken)) this.logger.warn({ userId: user.id }, `${OPAQUE_ACCESS_TOKEN_HINT}; the ID token is used as the bearer token`);
    const loginId = randomBytes(16).toString('base64url');
    await this.store.save(user.id, loginId, { ...tokens, subject: claims.sub, issuer: claims.iss, refreshedAt: new Date().toISOString() });
    await this.idpSessions.remember(claims, { userId: user.id, loginId, reuse: true });
    this.reuseCookies.write(res, tokens.refreshToken, { id: user.id, sid: loginId });
  }

  /** The provider's back-channel logout (backchannel/backchannel-logout.controller.ts). */
  backchannelLogout(token: unknown): Promise<number> {
    return this.backchannel.logout(token);
  }

  private fail(res: Response, error: unknown, step: string): void {
    const reason = error instanceof OpenIdFailure ? error.reason : 'rejected';
    const message = error instanceof Error ? error.message : String(error);
    void this.events.failed(this.name, reason);
    if (error instanceof OpenIdFailure) this.logger.warn({ event: 'login_failed', provider: this.name, step, reason }, `OpenID login failed: ${message}`);
    else this.logger.error({ event: 'login_failed', provider: this.name, step }, `OpenID login failed unexpectedly: ${message}`);
    if (res.headersSent) return;
    res.redirect(302, failureRedirect(this.server, reason === 'rejected' ? undefined : reason));
  }
}
