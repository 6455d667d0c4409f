import { CookieJar } from '../http/cookie-jar';
import { completeLogin } from './complete-login';
import type { OidcClientConfig, OidcProviderHandle } from './oidc-provider.harness';
import { createPkcePair, randomToken } from './tokens';

/** A relying party built on plain fetch, for getting real tokens out of the harness OP. */

export interface DiscoveryDocument {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  end_session_endpoint: string;
  revocation_endpoint: string;
  introspection_endpoint: string;
  code_challenge_methods_supported: string[];
  [key: string]: unknown;
}

export interface TokenResponse {
  access_token: string;
  id_token: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
  scope: string;
  [key: string]: unknown;
}

const discoveryCache = new Map<string, DiscoveryDocument>();

export async function discover(op: Pick<OidcProviderHandle, 'discoveryUrl'>): Promise<DiscoveryDocument> {
  let doc = discoveryCache.get(op.discoveryUrl);
  if (!doc) {
    const response = await fetch(op.discoveryUrl);
    if (!response.ok) throw new Error(`discovery failed: ${response.status}`);
    doc = (await response.json()) as DiscoveryDocument;
    discoveryCache.set(op.discoveryUrl, doc);
  }
  return doc;
}

export interface AuthorizationRequest {
  client: OidcClientConfig;
  scope?: string;
  /** Default true; false omits code_challenge. */
  pkce?: boolean;
  /** Extra query parameters (prompt, audience, resource, …). */
  extra?: Record<string, string>;
}

export async function buildAuthorizationUrl(op: OidcProviderHandle, request: AuthorizationRequest) {
  const { client, scope = 'openid', pkce = true, extra = {} } = request;
  const verifier = createPkcePair();
  const state = randomToken();
  const nonce = randomToken();
  const url = new URL((await discover(op)).authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: client.redirect_uris[0],
    response_type: 'code',
    scope,
    state,
    nonce,
    ...(pkce ? { code_challenge: verifier.challenge, code_challenge_method: verifier.method } : {}),
    ...extra,
  }).toString();
  return { url, state, nonce, codeVerifier: pkce ? verifier.verifier : undefined };
}

/** POSTs to the token endpoint, authenticating as the client would by its auth method. */
export async function tokenRequest(op: OidcProviderHandle, client: OidcClientConfig, params: Record<string, string>) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams({ ...params });
  const method = client.token_endpoint_auth_method ?? 'client_secret_basic';
  if (method === 'client_secret_basic') {
    const credentials = `${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret ?? '')}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  } else {
    body.set('client_id', client.client_id);
    if (method === 'client_secret_post') body.set('client_secret', client.client_secret ?? '');
  }
  const response = await fetch((await discover(op)).token_endpoint, { method: 'POST', headers, body: body.toString() });
  return { status: response.status, body: (await response.json()) as TokenResponse & { error?: string } };
}

export interface ObtainTokensOptions extends AuthorizationRequest {
  login: string;
  password?: string;
  /** OP cookies; reuse to ride an existing OP session. */
  jar?: CookieJar;
}

/** Full authorization-code (+PKCE) flow as the given account. Throws unless the token endpoint answers 200. */
export async function obtainTokens(op: OidcProviderHandle, options: ObtainTokensOptions) {
  const { login, password, jar = new CookieJar(), ...request } = options;
  const authorization = await buildAuthorizationUrl(op, request);
  const callback = await completeLogin(authorization.url, { login, password, jar });
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code in ${callback.href}`);
  const tokens = await tokenRequest(op, request.client, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: request.client.redirect_uris[0],
    ...(authorization.codeVerifier ? { code_verifier: authorization.codeVerifier } : {}),
  });
  if (tokens.status !== 200) throw new Error(`token endpoint answered ${tokens.status}: ${JSON.stringify(tokens.body)}`);
  return { ...tokens.body, callback, state: authorization.state, nonce: authorization.nonce, jar };
}
