import { Logger } from '@nestjs/common';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { clientIp } from '../../common/client-ip';
import { applyCookies } from '../../common/http';
import type { ServerConfig } from '../../config';
import { sessionContextOf } from '../../sessions';
import type { LoginProvider } from '../login-provider.registry';
import { failureRedirect, shownReason, successRedirect } from '../oauth-redirects';
import { SocialLoginFailure, type IdentityKey, type SocialProfile } from '../social-identity';
import type { SocialLoginService } from '../social-login.service';
import { ProviderTimeoutError, passportRequest, runStrategy, type PassportStrategyLike } from './passport-runner';

/** Everything a provider module supplies; see docs/providers.md. */
export interface OAuthProviderDefinition {
  /** `/oauth/<name>`; lower-case letters, digits and dashes. */
  name: string;
  label: string;
  iconUrl?: string | null;
  scopes: readonly string[];
  /** A passport strategy built with `store: providers.stateStore(name)` (and `pkce: true` where the provider supports it). */
  strategy: PassportStrategyLike;
  /** Extra `authenticate()` options for the authorization request (e.g. `{ prompt: 'none' }`). */
  authorizationOptions?: Record<string, unknown>;
  /** Where accounts keep this provider's user id. */
  identityKey: IdentityKey;
  /** Maps what the strategy's verify callback produced (its profile) to the shared shape. */
  profile(raw: unknown): SocialProfile | Promise<SocialProfile>;
}

/**
 * One OAuth 2.0 provider behind `/oauth/<name>`: the passport strategy speaks the protocol, the
 * shared use case decides the account, and every outcome is a redirect — DOMAIN_CLIENT with a
 * session, or the client's failure page. Nothing from the request (no `returnTo`, no `Host`)
 * influences where the browser goes (OC-09).
 */
export class OAuth2LoginProvider implements LoginProvider {
  readonly name: string;
  readonly label: string;
  readonly iconUrl: string | null;
  readonly scopes: readonly string[];
  private readonly logger: Logger;

  constructor(
    private readonly definition: OAuthProviderDefinition,
    private readonly useCase: SocialLoginService,
    private readonly server: ServerConfig,
  ) {
    this.name = definition.name;
    this.label = definition.label;
    this.iconUrl = definition.iconUrl ?? null;
    this.scopes = definition.scopes;
    this.logger = new Logger(`SocialLogin:${definition.name}`);
  }

  async start(req: FastifyRequest, res: FastifyReply): Promise<void> {
    const outcome = await runStrategy(this.definition.strategy, passportRequest(req, res, withoutCode(queryOf(req))), {
      ...this.definition.authorizationOptions,
    });
    if (outcome.kind === 'redirect') return void res.redirect(outcome.url, 302);
    this.fail(res, 'start', outcome.kind === 'error' ? outcome.error : new SocialLoginFailure('provider_error', 'the strategy did not redirect'));
  }

  async callback(req: FastifyRequest, res: FastifyReply): Promise<void> {
    try {
      const query = queryOf(req);
      if (typeof query.error === 'string') {
        // access_denied, login_required, …: the user (or the provider) said no (OC-10).
        throw new SocialLoginFailure(
          query.error === 'access_denied' ? 'access_denied' : 'provider_error',
          `the provider answered error=${query.error.slice(0, 64)}`,
        );
      }
      if (typeof query.code !== 'string' || query.code === '') throw new SocialLoginFailure('provider_error', 'callback without an authorization code');
      const outcome = await runStrategy(this.definition.strategy, passportRequest(req, res, query));
      if (outcome.kind === 'fail') throw new SocialLoginFailure('state_invalid', 'missing, forged, expired or replayed state');
      if (outcome.kind === 'error') throw outcome.error;
      if (outcome.kind !== 'success') throw new SocialLoginFailure('provider_error', 'the strategy redirected during the callback');
      const profile = await this.definition.profile(outcome.user);
      const user = await this.useCase.resolve({ ...profile, provider: this.name, key: this.definition.identityKey });
      applyCookies(res, await this.useCase.signIn(user, sessionContextOf(req, this.name)));
      this.logger.log({ event: 'login', provider: this.name, userId: user.id, ip: clientIp(req) }, `${this.name} login succeeded`);
      void res.redirect(successRedirect(this.server), 302);
    } catch (error) {
      this.fail(res, 'callback', error);
    }
  }

  private fail(res: FastifyReply, step: string, error: unknown): void {
    const failure = asFailure(error);
    const log = { event: 'login_failed', provider: this.name, step, reason: failure.reason };
    void this.useCase.reportFailure(this.name, failure.reason);
    if (error instanceof SocialLoginFailure || failure.reason === 'provider_unavailable')
      this.logger.warn(log, `${this.name} login failed: ${failure.message}`);
    else this.logger.error(log, `${this.name} login failed unexpectedly: ${failure.message}`);
    if (res.sent) return;
    void res.redirect(failureRedirect(this.server, shownReason(failure.reason)), 302);
  }
}

function queryOf(req: FastifyRequest): Record<string, unknown> {
  return (req.query ?? {}) as Record<string, unknown>;
}

/** The start hop never carries a code; dropping a stray one keeps passport on the redirect branch. */
function withoutCode(query: Record<string, unknown>): Record<string, unknown> {
  if (query.code === undefined && query.error === undefined) return query;
  const rest = { ...query };
  delete rest.code;
  delete rest.error;
  return rest;
}

/**
 * passport-oauth2 wraps transport and HTTP errors: an InternalOAuthError carries the HTTP
 * status (or the socket error code), a TokenError only the OAuth `error` code (its own status is
 * always 500). A 5xx, `server_error`/`temporarily_unavailable` or a dead socket is an outage,
 * anything else a refusal.
 */
function asFailure(error: unknown): SocialLoginFailure {
  if (error instanceof SocialLoginFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  const inner = (error as { oauthError?: { statusCode?: number; code?: string } } | null)?.oauthError;
  const status = inner?.statusCode;
  const oauthCode = (error as { name?: string; code?: unknown } | null)?.name === 'TokenError' ? (error as { code?: unknown }).code : undefined;
  const detail = `${message}${status ? ` (HTTP ${status})` : ''}${typeof oauthCode === 'string' ? ` (${oauthCode})` : ''}`;
  const outage =
    (status !== undefined && status >= 500) ||
    (inner !== undefined && status === undefined && typeof inner.code === 'string') ||
    oauthCode === 'server_error' ||
    oauthCode === 'temporarily_unavailable' ||
    error instanceof ProviderTimeoutError;
  return new SocialLoginFailure(outage ? 'provider_unavailable' : 'provider_error', detail);
}
