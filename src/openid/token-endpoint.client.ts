import { Clock, SystemClock } from '../common/clock';
import { Injectable, Logger, Optional } from '@nestjs/common';
import { OpenIdConfig } from '../config';
import { IdpProtocolError } from './openid-errors';
import { OpenIdHttp } from './openid-http';
import type { ProviderMetadata } from './provider-metadata';

export interface TokenSet {
  accessToken: string | null;
  idToken: string | null;
  refreshToken: string | null;
  expiresAt: Date | null;
  scope: string | null;
  tokenType: string | null;
}

type AuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/**
 * The token endpoint. Client authentication follows the secret and the discovery document:
 * no secret → public client (`none`, PKCE carries the proof); with a secret →
 * `client_secret_post` when advertised (what LibreChat sends, so IdP apps registered for it keep
 * working), else `client_secret_basic`. If the IdP answers `invalid_client`, the other secret
 * method is tried once and remembered: an application registered for either works (CS-11).
 */
@Injectable()
export class TokenEndpointClient {
  private readonly logger = new Logger('OpenIdTokenEndpoint');
  private preferred: AuthMethod | null = null;
  /** Set once the provider refused OPENID_SCOPE on a refresh: later refreshes go without it. */
  private refreshScopeRefused = false;

  constructor(
    private readonly config: OpenIdConfig,
    private readonly http: OpenIdHttp,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {}

  exchangeCode(metadata: ProviderMetadata, code: string, redirectUri: string, codeVerifier: string | null): Promise<TokenSet> {
    const params: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: redirectUri };
    if (codeVerifier) params.code_verifier = codeVerifier;
    return this.request(metadata, 'token', params);
  }

  /**
   * Refresh with `scope` = OPENID_SCOPE, as LibreChat does (Entra wants it). A provider that
   * narrowed the grant (offline_access not granted, resource-bound tokens) refuses that with
   * invalid_scope; RFC 6749 §6 then allows asking without `scope`, meaning "as granted".
   */
  async refresh(metadata: ProviderMetadata, refreshToken: string): Promise<TokenSet> {
    const params: Record<string, string> = { grant_type: 'refresh_token', refresh_token: refreshToken };
    if (!this.refreshScopeRefused) params.scope = this.config.scope;
    if (this.config.refreshAudience) params.audience = this.config.refreshAudience;
    try {
      return await this.request(metadata, 'refresh', params);
    } catch (error) {
      if (!(error instanceof IdpProtocolError) || error.error !== 'invalid_scope' || !params.scope) throw error;
      this.refreshScopeRefused = true;
      delete params.scope;
      return this.request(metadata, 'refresh', params);
    }
  }

  /** RFC 7009 revocation (logout); a provider without the endpoint is simply not asked. */
  async revoke(metadata: ProviderMetadata, token: string, hint: 'refresh_token' | 'access_token'): Promise<void> {
    if (!metadata.revocationEndpoint) return;
    await this.post(metadata, 'revocation', { token, token_type_hint: hint }, metadata.revocationEndpoint);
  }

  /** Any other grant (on-behalf-of); returns the raw JSON body. */
  async grant(metadata: ProviderMetadata, purpose: string, params: Record<string, string>): Promise<Record<string, unknown>> {
    return this.post(metadata, purpose, params);
  }

  private async request(metadata: ProviderMetadata, purpose: string, params: Record<string, string>): Promise<TokenSet> {
    const body = await this.post(metadata, purpose, params);
    const str = (key: string) => (typeof body[key] === 'string' && body[key] !== '' ? (body[key] as string) : null);
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in);
    return {
      accessToken: str('access_token'),
      idToken: str('id_token'),
      refreshToken: str('refresh_token'),
      expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(this.clock.now().getTime() + expiresIn * 1000) : null,
      scope: str('scope'),
      tokenType: str('token_type'),
    };
  }

  private async post(
    metadata: ProviderMetadata,
    purpose: string,
    params: Record<string, string>,
    endpoint = metadata.tokenEndpoint,
  ): Promise<Record<string, unknown>> {
    const first = this.method(metadata);
    try {
      return await this.send(endpoint, purpose, params, first);
    } catch (error) {
      const other: AuthMethod | null = first === 'client_secret_post' ? 'client_secret_basic' : first === 'client_secret_basic' ? 'client_secret_post' : null;
      if (!(error instanceof IdpProtocolError) || error.error !== 'invalid_client' || !other) throw error;
      const body = await this.send(endpoint, purpose, params, other);
      this.logger.log({ method: other }, 'the provider accepts this client with another authentication method; using it from now on');
      this.preferred = other;
      return body;
    }
  }

  private method(metadata: ProviderMetadata): AuthMethod {
    if (!this.config.clientSecret) return 'none';
    if (this.preferred) return this.preferred;
    return metadata.tokenEndpointAuthMethods.includes('client_secret_post') ? 'client_secret_post' : 'client_secret_basic';
  }

  private async send(endpoint: string, purpose: string, params: Record<string, string>, method: AuthMethod): Promise<Record<string, unknown>> {
    const form = new URLSearchParams(params);
    const headers: Record<string, string> = {};
    const clientId = this.config.clientId ?? '';
    const secret = this.config.clientSecret ?? '';
    if (method === 'client_secret_basic') {
      // RFC 6749 §2.3.1: form-urlencode id and secret before base64.
      headers.authorization = `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`).toString('base64')}`;
    } else {
      form.set('client_id', clientId);
      if (method === 'client_secret_post') form.set('client_secret', secret);
    }
    const response = await this.http.request(purpose, endpoint, { form, headers });
    const body = response.json ?? {};
    if (response.status !== 200) {
      throw new IdpProtocolError(
        response.status,
        typeof body.error === 'string' ? body.error : 'invalid_response',
        typeof body.error_description === 'string' ? body.error_description : undefined,
      );
    }
    return body;
  }
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
