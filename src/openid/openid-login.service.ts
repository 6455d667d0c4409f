import { Inject, Injectable } from '@nestjs/common';
import type { CookieInstructions, RequestCookies } from '../common/http';
import { OpenIdConfig, ServerConfig } from '../config';
import { OAuthStateStore } from '../oauth-state';
import type { UserRecord } from '../storage';
import { decodePayload, type ClaimSources } from './claims';
import { DiscoveryService } from './discovery.service';
import { IdTokenVerifier, type IdTokenClaims } from './id-token.verifier';
import { OnBehalfOfService } from './on-behalf-of.service';
import { AvatarImporter } from './avatar-importer';
import { GroupOverageResolver } from './group-overage.resolver';
import { OpenIdFailure } from './openid-errors';
import { OpenIdUserResolver } from './openid-user.resolver';
import { isTenantTemplateOf } from './provider-metadata';
import { RolePolicy } from './role-policy';
import { TokenEndpointClient, type TokenSet } from './token-endpoint.client';
import { UserinfoClient } from './userinfo.client';
import { createHash } from 'node:crypto';

export const OPENID_PROVIDER = 'openid';
/** Registry name of this module's provider: `openid`, or `openid-<name>` for OPENID_PROVIDERS entries. */
export const OPENID_PROVIDER_NAME = Symbol('OPENID_PROVIDER_NAME');
/** OPENID_<NAME>_DOMAINS of a named provider (empty for the default one). */
export const OPENID_PROVIDER_DOMAINS = Symbol('OPENID_PROVIDER_DOMAINS');

export interface OpenIdLogin {
  user: UserRecord;
  tokens: TokenSet;
  claims: IdTokenClaims;
}

/**
 * The authorization-code flow (OIDC Core §3.1) against the discovered provider: state, nonce
 * and PKCE S256 per attempt; the code exchanged with the verifier; the ID token verified in
 * full; UserInfo bound to the same `sub`; roles checked; the account found or created.
 */
@Injectable()
export class OpenIdLoginService {
  constructor(
    private readonly config: OpenIdConfig,
    private readonly server: ServerConfig,
    private readonly discovery: DiscoveryService,
    private readonly state: OAuthStateStore,
    private readonly tokens: TokenEndpointClient,
    private readonly idTokens: IdTokenVerifier,
    private readonly userinfo: UserinfoClient,
    private readonly onBehalfOf: OnBehalfOfService,
    private readonly roles: RolePolicy,
    private readonly resolver: OpenIdUserResolver,
    private readonly overage: GroupOverageResolver,
    private readonly avatars: AvatarImporter,
    @Inject(OPENID_PROVIDER_NAME) private readonly providerName: string,
  ) {}

  /** redirect_uri is fixed from configuration, never derived from the Host header (OC-08). */
  redirectUri(): string {
    return new URL(this.config.callbackUrl, this.server.domainServer).href;
  }

  /** PKCE is on unless OPENID_USE_PKCE=false (honoured, unlike LibreChat: defect D-10, docs/librechat-differences.md). */
  private usePkce(): boolean {
    return this.config.usePkce !== false;
  }

  /** The provider's authorization URL; the transaction cookie goes into `out`. */
  async authorizationUrl(cookies: RequestCookies | undefined, out: CookieInstructions): Promise<string> {
    const metadata = await this.discovery.get();
    const pkce = this.usePkce();
    if (pkce && metadata.codeChallengeMethods.length > 0 && !metadata.codeChallengeMethods.includes('S256')) {
      throw new OpenIdFailure('configuration', 'the provider does not support PKCE S256; set OPENID_USE_PKCE=false if it cannot do PKCE at all');
    }
    const tx = this.state.begin(cookies, out, this.providerName, pkce);
    const url = new URL(metadata.authorizationEndpoint);
    const params: Record<string, string> = {
      response_type: 'code',
      client_id: this.config.clientId ?? '',
      redirect_uri: this.redirectUri(),
      scope: this.config.scope,
      state: tx.state,
      // Always sent and always checked (decision documented in docs/configuration.md, OC-04).
      nonce: tx.nonce,
    };
    if (tx.codeVerifier) {
      params.code_challenge = createHash('sha256').update(tx.codeVerifier).digest('base64url');
      params.code_challenge_method = 'S256';
    }
    if (this.config.audiences[0]) params.audience = this.config.audiences[0];
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.href;
  }

  /** The callback: `query` is the callback's query string; the transaction cookie is cleared through `out`. */
  async finish(query: Readonly<Record<string, unknown>>, cookies: RequestCookies | undefined, out: CookieInstructions): Promise<OpenIdLogin> {
    const param = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
    const tx = await this.state.finish(cookies, out, param('state'), this.providerName);
    if (!tx) throw new OpenIdFailure('rejected', 'the state is missing, unknown, expired or already used (OC-01)');
    const metadata = await this.discovery.get();
    // RFC 9207 (OC-05): checked before anything else in the response, error responses included.
    const iss = param('iss');
    const issOk = iss === metadata.issuer || (iss !== undefined && isTenantTemplateOf(metadata.issuer, iss));
    if (iss !== undefined ? !issOk : metadata.authorizationResponseIssRequired) {
      throw new OpenIdFailure('rejected', `the authorization response iss ${JSON.stringify(iss)} is not ${JSON.stringify(metadata.issuer)} (OC-05)`);
    }
    const error = param('error');
    if (error)
      throw new OpenIdFailure('rejected', `the provider answered ${error}${param('error_description') ? `: ${param('error_description')}` : ''} (OC-10)`);
    const code = param('code');
    if (!code) throw new OpenIdFailure('rejected', 'the callback carries no code');

    const tokens = await this.tokens.exchangeCode(metadata, code, this.redirectUri(), tx.codeVerifier);
    if (!tokens.idToken) throw new OpenIdFailure('rejected', 'the token response has no id_token; is "openid" in OPENID_SCOPE?');
    const claims = await this.idTokens.verify(tokens.idToken, metadata, tx.nonce);
    const userinfoToken = this.config.onBehalfFlowForUserinfo
      ? await this.onBehalfOf.userinfoToken(metadata, claims.sub, tokens.accessToken)
      : tokens.accessToken;
    const userinfo = await this.userinfo.fetch(metadata, userinfoToken, claims.sub);
    // Entra group overage: the groups come from Graph before any role rule reads them.
    const sources: ClaimSources = await this.overage.resolve(
      { id: claims, userinfo, access: decodePayload(tokens.accessToken) },
      metadata,
      claims.sub,
      tokens.accessToken,
    );
    this.roles.assertRequiredRole(sources);
    const profile = { ...claims, ...(userinfo ?? {}) };
    const avatar = await this.avatars.importPicture(profile.picture);
    const user = await this.resolver.resolve(
      { sub: claims.sub, issuer: claims.iss, claims: profile },
      (current) => this.roles.roleFor(sources, current),
      avatar,
    );
    return { user, tokens, claims };
  }
}
