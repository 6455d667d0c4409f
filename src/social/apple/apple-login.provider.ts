import { Logger } from '@nestjs/common';
import type { FastifyRequest, FastifyReply } from 'fastify';
import type { Clock } from '../../common/clock';
import { CookieInstructions, applyCookies, type RequestCookies } from '../../common/http';
import type { AppleSettings, ServerConfig } from '../../config';
import { sessionContextOf } from '../../sessions';
import type { OAuthStateStore, TransactionCookie } from '../../oauth-state';
import type { LoginProvider } from '../login-provider.registry';
import { failureRedirect, shownReason, successRedirect } from '../oauth-redirects';
import { SocialLoginFailure } from '../social-identity';
import type { SocialLoginService } from '../social-login.service';
import type { AppleIdTokenVerifier } from './apple-id-token.verifier';
import { appleProfile, nameFromUserField } from './apple-profile';
import { exchangeAppleCode } from './apple-token.client';
import type { OutboundCalls } from '../../common/outbound-calls';
import type { OutboundProxy } from '../../common/outbound-proxy';

export const APPLE_SCOPES = ['name', 'email'] as const;

/**
 * Sign in with Apple, hand-written on the OpenID building blocks (see docs/providers.md for why
 * not passport-apple): `/oauth/apple` → sealed transaction (state + nonce) in a SameSite=None
 * cookie scoped to the callback path → Apple with `response_mode=form_post` → Apple's cross-site
 * `POST /oauth/apple/callback` → state checked and consumed → code exchanged with the ES256
 * client secret → ID token verified (JWKS, iss, aud, exp, nonce) → shared account rules →
 * session → 302 to DOMAIN_CLIENT. Every failure is the usual failure redirect.
 */
export class AppleLoginProvider implements LoginProvider {
  readonly name = 'apple';
  readonly label = 'Apple';
  readonly iconUrl = null;
  readonly scopes = APPLE_SCOPES;
  readonly acceptsPost = true;
  private readonly logger = new Logger('SocialLogin:apple');
  private readonly cookie: TransactionCookie;
  private readonly redirectUri: string;

  constructor(
    private readonly settings: AppleSettings,
    private readonly transactions: OAuthStateStore,
    private readonly verifier: AppleIdTokenVerifier,
    private readonly useCase: SocialLoginService,
    private readonly server: ServerConfig,
    private readonly clock: Clock,
    redirectUri: string,
    private readonly proxy: OutboundProxy,
    private readonly calls?: OutboundCalls,
  ) {
    this.redirectUri = redirectUri;
    this.cookie = { sameSite: 'none', path: new URL(redirectUri).pathname };
  }

  async start(req: FastifyRequest, res: FastifyReply): Promise<void> {
    const cookies = new CookieInstructions();
    const tx = this.transactions.begin(req.cookies as RequestCookies | undefined, cookies, this.name, false, this.cookie);
    applyCookies(res, cookies);
    const url = new URL(`${this.settings.baseUrl}/auth/authorize`);
    url.search = new URLSearchParams({
      client_id: this.settings.clientId,
      redirect_uri: this.redirectUri,
      response_type: 'code',
      // Apple requires form_post whenever name or email is requested.
      response_mode: 'form_post',
      scope: APPLE_SCOPES.join(' '),
      state: tx.state,
      nonce: tx.nonce,
    }).toString();
    void res.redirect(url.href, 302);
  }

  async callback(req: FastifyRequest, res: FastifyReply): Promise<void> {
    const cookies = new CookieInstructions();
    const held = req.cookies as RequestCookies | undefined;
    try {
      if (req.method !== 'POST') throw new SocialLoginFailure('provider_error', 'apple answers with a form POST (response_mode=form_post); got a GET');
      const form = (req.body ?? {}) as Record<string, unknown>;
      const state = typeof form.state === 'string' ? form.state : undefined;
      if (typeof form.error === 'string') {
        // Consume the transaction anyway, so its cookie goes; `user_cancelled_authorize` is the user saying no.
        await this.transactions.finish(held, cookies, state, this.name, this.cookie);
        throw new SocialLoginFailure(
          form.error === 'user_cancelled_authorize' ? 'access_denied' : 'provider_error',
          `apple answered error=${form.error.slice(0, 64)}`,
        );
      }
      const tx = await this.transactions.finish(held, cookies, state, this.name, this.cookie);
      if (!tx) throw new SocialLoginFailure('state_invalid', 'missing, forged, expired or replayed state');
      if (typeof form.code !== 'string' || form.code === '' || form.code.length > 1024)
        throw new SocialLoginFailure('provider_error', 'callback without an authorization code');
      const idToken = await exchangeAppleCode(this.settings, form.code, this.redirectUri, this.clock.now(), this.proxy, (outcome, seconds) =>
        this.calls?.report({ provider: 'apple', endpoint: 'token', outcome, seconds }),
      );
      const claims = await this.verifier.verify(idToken, tx.nonce, this.clock.now());
      const profile = appleProfile(claims, nameFromUserField(form.user));
      const user = await this.useCase.resolve({ ...profile, provider: this.name, key: { field: 'appleId' } });
      cookies.merge(await this.useCase.signIn(user, sessionContextOf(req, this.name)));
      applyCookies(res, cookies);
      this.logger.log({ event: 'login', provider: this.name, userId: user.id, ip: req.ip, privateRelay: claims.isPrivateEmail }, 'apple login succeeded');
      void res.redirect(successRedirect(this.server), 302);
    } catch (error) {
      // The transaction cookie goes whatever happened (fail closed).
      applyCookies(res, cookies);
      this.fail(res, error);
    }
  }

  private fail(res: FastifyReply, error: unknown): void {
    const failure =
      error instanceof SocialLoginFailure ? error : new SocialLoginFailure('provider_error', error instanceof Error ? error.message : String(error));
    const log = { event: 'login_failed', provider: this.name, step: 'callback', reason: failure.reason };
    void this.useCase.reportFailure(this.name, failure.reason);
    if (error instanceof SocialLoginFailure) this.logger.warn(log, `apple login failed: ${failure.message}`);
    else this.logger.error(log, `apple login failed unexpectedly: ${failure.message}`);
    if (res.sent) return;
    void res.redirect(failureRedirect(this.server, shownReason(failure.reason)), 302);
  }
}
