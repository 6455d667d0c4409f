import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import { clientIp } from '../common/client-ip';
import { Clock } from '../common/clock';
import { CookieInstructions, applyCookies, type RequestCookies } from '../common/http';
import { OpenIdConfig, ServerConfig } from '../config';
import { RefreshSessionsService, SessionCookies, SignInEvents, sessionContextOf, type BrowserContext } from '../sessions';
import { failureRedirect, LoginGate, successRedirect, type LoginProvider } from '../social';
import { BackchannelLogins } from './backchannel/backchannel-logins';
import { BackchannelLogoutService } from './backchannel/backchannel-logout.service';
import { looksLikeJwt } from './idp-jwt.verifier';
import { OPAQUE_ACCESS_TOKEN_HINT, OpenIdFailure } from './openid-errors';
import { OPENID_PROVIDER_DOMAINS, OPENID_PROVIDER_NAME, OpenIdLoginService, type OpenIdLogin } from './openid-login.service';
import { IdpTokenStore, ReuseCookies } from '../token-reuse';

/**
 * `/oauth/openid` and its callback. Every outcome is a redirect: the IdP, DOMAIN_CLIENT with a
 * session, or `${DOMAIN_CLIENT}/login?redirect=false&error=auth_failed` with the reason logged
 * (never a 500 or JSON in the browser).
 */
/** A login stored but not yet answered: its cookies, and how to close it if the sign-in fails after all. */
interface StartedLogin {
  writeCookies(res: FastifyReply): void;
  undo(): Promise<unknown>;
}

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
    private readonly clock: Clock,
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

  async start(req: FastifyRequest, res: FastifyReply): Promise<void> {
    try {
      const cookies = new CookieInstructions();
      const url = await this.flow.authorizationUrl(req.cookies as RequestCookies | undefined, cookies);
      applyCookies(res, cookies);
      void res.redirect(url, 302);
    } catch (error) {
      this.fail(res, error, 'start');
    }
  }

  async callback(req: FastifyRequest, res: FastifyReply): Promise<void> {
    const txCookies = new CookieInstructions();
    try {
      const context = sessionContextOf(req, 'openid');
      const login = await this.flow.finish(req.query as Record<string, unknown>, req.cookies as RequestCookies | undefined, txCookies);
      // The transaction cookie goes whatever happens next (fail closed).
      applyCookies(res, txCookies.splice());
      // The same last check as every other browser sign-in (ban seam).
      const refusal = await this.gate.refusal(login.user, context.addressKey);
      if (refusal) throw new OpenIdFailure(refusal, refusal);
      const started = this.config.reuseTokens ? await this.startReuseSession(login) : await this.startLocalSession(context, login);
      // Before any cookie is set: a listener that fails (a store outage in the balance step) ends
      // in the failure redirect without a session cookie, and the login just stored is closed
      // again, never a half sign-in (BA-05).
      await this.events.signedIn({ user: login.user, provider: this.name, context: { ...context, provider: this.name } }, started.undo);
      started.writeCookies(res);
      this.logger.log({ event: 'login', provider: this.name, userId: login.user.id, ip: clientIp(req) }, 'OpenID login succeeded');
      void res.redirect(successRedirect(this.server), 302);
    } catch (error) {
      applyCookies(res, txCookies.splice());
      this.fail(res, error, 'callback');
    }
  }

  /** Without token reuse: the same refresh session as a password login (docs/librechat-differences.md#openid-sign-in-and-token-reuse). */
  private async startLocalSession(context: BrowserContext, { user, tokens, claims }: OpenIdLogin): Promise<StartedLogin> {
    const { token, session } = await this.sessions.issue(user.id, context);
    // Only the ID token is kept, for `id_token_hint` at logout (LO-01).
    await this.store.save(
      user.id,
      session.id,
      { accessToken: null, idToken: tokens.idToken, refreshToken: null, expiresAt: null, scope: null, subject: claims.sub, issuer: claims.iss },
      this.name,
    );
    // Back-channel logout finds this login by the IdP session (`sid`) or subject (BL-06).
    await this.idpSessions.remember(claims, { userId: user.id, loginId: session.id, reuse: false });
    return {
      writeCookies: (res) => this.cookies.write(res, token, session.expiresAt, 'openid'),
      undo: async () => {
        await this.sessions.revoke(session.id);
        await this.store.delete(user.id, session.id, this.name);
      },
    };
  }

  /** OPENID_REUSE_TOKENS: the IdP tokens are the session (docs/librechat-differences.md#openid-sign-in-and-token-reuse). */
  private async startReuseSession({ user, tokens, claims }: OpenIdLogin): Promise<StartedLogin> {
    if (!tokens.refreshToken) {
      // LibreChat silently sets no cookie and the user bounces back to login (LibreChat defect D-33, docs/librechat-differences.md).
      throw new OpenIdFailure(
        'configuration',
        'OPENID_REUSE_TOKENS=true but the provider returned no refresh token; add offline_access to OPENID_SCOPE or allow refresh tokens for this client at the provider',
      );
    }
    if (tokens.accessToken && !looksLikeJwt(tokens.accessToken))
      this.logger.warn({ userId: user.id }, `${OPAQUE_ACCESS_TOKEN_HINT}; the ID token is used as the bearer token`);
    const loginId = randomBytes(16).toString('base64url');
    await this.store.save(user.id, loginId, { ...tokens, subject: claims.sub, issuer: claims.iss, refreshedAt: this.clock.now().toISOString() }, this.name);
    await this.idpSessions.remember(claims, { userId: user.id, loginId, reuse: true });
    const refreshToken = tokens.refreshToken;
    return {
      writeCookies: (res) => applyCookies(res, this.reuseCookies.toSet(refreshToken, { id: user.id, sid: loginId, provider: this.name })),
      undo: () => this.store.delete(user.id, loginId, this.name),
    };
  }

  /** The provider's back-channel logout (backchannel/backchannel-logout.controller.ts). */
  backchannelLogout(token: unknown): Promise<number> {
    return this.backchannel.logout(token);
  }

  private fail(res: FastifyReply, error: unknown, step: string): void {
    const reason = error instanceof OpenIdFailure ? error.reason : 'rejected';
    const message = error instanceof Error ? error.message : String(error);
    void this.events.failed(this.name, reason);
    if (error instanceof OpenIdFailure) this.logger.warn({ event: 'login_failed', provider: this.name, step, reason }, `OpenID login failed: ${message}`);
    else this.logger.error({ event: 'login_failed', provider: this.name, step }, `OpenID login failed unexpectedly: ${message}`);
    if (res.sent) return;
    void res.redirect(failureRedirect(this.server, reason === 'rejected' ? undefined : reason), 302);
  }
}
