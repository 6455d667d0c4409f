import { Logger } from '@nestjs/common';
import type { CacheProvider, Profile, SAML, SamlConfig as NodeSamlConfig } from '@node-saml/node-saml';

/** node-saml, loaded on first use: most deployments never enable SAML and should not pay for it at boot. */
const nodeSaml = () => require('@node-saml/node-saml') as typeof import('@node-saml/node-saml');
import type { FastifyRequest, FastifyReply } from 'fastify';
import type { Clock } from '../common/clock';
import { applyCookies } from '../common/http';
import type { SamlConfig, ServerConfig } from '../config';
import { sessionContextOf } from '../sessions';
import { failureRedirect, shownReason, SocialLoginFailure, successRedirect, type LoginProvider, type SocialLoginService } from '../social';
import { checkRecipient, inspectResponse } from './saml-response.checks';
import type { SamlRequestStore } from './saml-request.store';
import { samlProfile } from './saml.profile';

export const SAML_PROVIDER_NAME = 'saml';
/** Allowed difference between our clock and the IdP's for NotBefore / NotOnOrAfter (SA-06). */
export const SAML_CLOCK_SKEW_MS = 60_000;

/**
 * `GET /oauth/saml` (AuthnRequest by HTTP-Redirect) and `POST /oauth/saml/callback` (Response by
 * HTTP-POST). node-saml verifies the XML signature against the configured certificate only (no
 * certificate from the message is trusted), the signed-part-only reading that defeats signature
 * wrapping, the time conditions and the Audience; this class adds what it leaves to the caller:
 * the request binding (SamlRequestStore), the algorithm allow-list, Destination and Recipient.
 * Accounts are resolved by the shared social-login use case, keyed by `samlId` = NameID.
 */
export class SamlLoginProvider implements LoginProvider {
  readonly name = SAML_PROVIDER_NAME;
  readonly scopes: readonly string[] = [];
  /** The IdP posts the response (HTTP-POST binding) to the shared `POST /oauth/:provider/callback`. */
  readonly acceptsPost = true;
  private readonly logger = new Logger('SamlLogin');
  private readonly callbackUrl: string;

  constructor(
    private readonly settings: SamlConfig,
    private readonly server: ServerConfig,
    private readonly requests: SamlRequestStore,
    private readonly useCase: SocialLoginService,
    callbackUrl: string,
    private readonly clock: Clock,
  ) {
    this.callbackUrl = callbackUrl;
  }

  get label(): string {
    return this.settings.buttonLabel;
  }

  get iconUrl(): string | null {
    return this.settings.imageUrl;
  }

  async start(req: FastifyRequest, res: FastifyReply): Promise<void> {
    try {
      const id = this.requests.begin(req, res);
      const url = await this.client(id, null).getAuthorizeUrlAsync('', undefined, {});
      void res.redirect(url, 302);
    } catch (error) {
      this.fail(res, 'start', error);
    }
  }

  async callback(req: FastifyRequest, res: FastifyReply): Promise<void> {
    try {
      // HTTP-POST binding only: a GET callback is not a SAML response.
      if (req.method !== 'POST') throw new SocialLoginFailure('provider_error', 'SAML: the callback takes the HTTP-POST binding only');
      const body = (req.body ?? {}) as Record<string, unknown>;
      const envelope = inspectResponse(body.SAMLResponse, this.callbackUrl);
      // Unsolicited (IdP-initiated) responses have no InResponseTo and are refused with the rest.
      if (!(await this.requests.consume(req, res, envelope.inResponseTo))) {
        throw new SocialLoginFailure('state_invalid', 'SAML: InResponseTo is missing, unknown to this browser, expired or already used');
      }
      const profile = await this.verify(envelope.inResponseTo as string, body.SAMLResponse as string);
      checkRecipient(profile, this.callbackUrl);
      if (!profile.nameID) throw new SocialLoginFailure('provider_error', 'SAML: the assertion has no NameID');
      const user = await this.useCase.resolve({ ...samlProfile(profile, this.settings.claims), provider: this.name, key: { field: 'samlId' } });
      applyCookies(res, await this.useCase.signIn(user, sessionContextOf(req, this.name)));
      this.logger.log({ event: 'login', provider: this.name, userId: user.id, ip: req.ip }, 'SAML login succeeded');
      void res.redirect(successRedirect(this.server), 302);
    } catch (error) {
      this.fail(res, 'callback', error);
    }
  }

  /** SP metadata for the IdP's import: entity ID, ACS URL (HTTP-POST), assertions signed. */
  metadata(): string {
    return this.client('_metadata', null).generateServiceProviderMetadata(null, null);
  }

  private async verify(requestId: string, samlResponse: string): Promise<Profile> {
    try {
      const { profile } = await this.client(requestId, requestId).validatePostResponseAsync({ SAMLResponse: samlResponse });
      if (!profile) throw new Error('no assertion in the response');
      return profile;
    } catch (error) {
      if (error instanceof SocialLoginFailure) throw error;
      // The IdP said no (AuthnFailed, RequestDenied, NoPassive…): the person's answer, not an attack.
      if (error instanceof nodeSaml().SamlStatusError) throw new SocialLoginFailure('access_denied', `SAML: ${error.message}`);
      // node-saml's messages name the failed check (signature, audience, expiry…); they are logged, never shown.
      throw new SocialLoginFailure('provider_error', `SAML: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * One node-saml client per step, with the request ID already decided: on the way out it is the
   * ID of the AuthnRequest, on the way back the only InResponseTo the cache knows. Replay and
   * expiry are decided by SamlRequestStore before this runs.
   */
  private client(requestId: string, expected: string | null): SAML {
    const cacheProvider: CacheProvider = {
      saveAsync: (key, value) => Promise.resolve({ value, createdAt: this.clock.now().getTime() }),
      getAsync: (key) => Promise.resolve(expected !== null && key === expected ? this.clock.now().toISOString() : null),
      removeAsync: (key) => Promise.resolve(key),
    };
    const options: NodeSamlConfig = {
      entryPoint: this.settings.entryPoint ?? undefined,
      issuer: this.settings.issuer as string,
      audience: this.settings.issuer as string,
      callbackUrl: this.callbackUrl,
      idpCert: this.settings.idpCert as string,
      // LibreChat's rule: the Assertion must be signed, or with SAML_USE_AUTHN_RESPONSE_SIGNED the whole Response.
      wantAssertionsSigned: !this.settings.responseSigned,
      wantAuthnResponseSigned: this.settings.responseSigned,
      validateInResponseTo: nodeSaml().ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: 10 * 60_000,
      acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
      generateUniqueId: () => requestId,
      cacheProvider,
      // Any authentication method the IdP uses is fine; a requested context only makes some IdPs refuse.
      disableRequestedAuthnContext: true,
      identifierFormat: null,
    };
    return new (nodeSaml().SAML)(options);
  }

  private fail(res: FastifyReply, step: string, error: unknown): void {
    const failure =
      error instanceof SocialLoginFailure ? error : new SocialLoginFailure('provider_error', error instanceof Error ? error.message : String(error));
    const log = { event: 'login_failed', provider: this.name, step, reason: failure.reason };
    void this.useCase.reportFailure(this.name, failure.reason);
    if (error instanceof SocialLoginFailure) this.logger.warn(log, `SAML login failed: ${failure.message}`);
    else this.logger.error(log, `SAML login failed unexpectedly: ${failure.message}`);
    if (res.sent) return;
    void res.redirect(failureRedirect(this.server, shownReason(failure.reason)), 302);
  }
}
