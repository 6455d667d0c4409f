import type { Env } from '../../../src/config';
import { startApp, type RunningApp } from '../app.harness';
import { freePort } from '../free-port';
import { CookieJar } from '../http/cookie-jar';
import { HttpClient, type HttpResponse } from '../http/http-client';
import { completeLogin } from './complete-login';
import { startOidcProvider, type OidcAccount, type OidcClientConfig, type OidcProviderHandle, type OidcProviderOptions } from './oidc-provider.harness';

/** The SPA's origin: nothing listens there, redirects to it are only inspected. */
export const CLIENT_ORIGIN = 'http://localhost:3999';
export const FAILURE_URL = `${CLIENT_ORIGIN}/login?redirect=false&error=auth_failed`;

export const ALICE_ACCOUNT: OidcAccount = {
  accountId: 'alice',
  claims: { email: 'alice@example.test', email_verified: true, given_name: 'Alice', family_name: 'Liddell', preferred_username: 'alice' },
};

export interface OpenIdStackOptions {
  idp?: Partial<OidcProviderOptions>;
  /** Overrides of the registered client (default: confidential, client_secret_post, refresh allowed); a function receives the app's URL. */
  client?: Partial<OidcClientConfig> | ((appUrl: string) => Partial<OidcClientConfig>);
  env?: Env;
  accounts?: OidcAccount[];
  /** Issuer as the operator writes it; receives the provider's issuer. Default: the issuer itself. */
  issuerInput?: (issuer: string) => string;
}

export interface OpenIdStack {
  op: OidcProviderHandle;
  app: RunningApp;
  client: OidcClientConfig;
  stop(): Promise<void>;
}

/** A real oidc-provider and the real app wired to it, as an operator following a provider guide would. */
export async function startOpenIdStack(options: OpenIdStackOptions = {}): Promise<OpenIdStack> {
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const client: OidcClientConfig = {
    client_id: 'gatehouse',
    client_secret: 'gatehouse-secret',
    redirect_uris: [`${appUrl}/oauth/openid/callback`],
    post_logout_redirect_uris: [`${CLIENT_ORIGIN}/login`],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_post',
    ...(typeof options.client === 'function' ? options.client(appUrl) : options.client),
  };
  const op = await startOidcProvider({ clients: [client], accounts: options.accounts ?? [ALICE_ACCOUNT], ...options.idp });
  let app: RunningApp;
  try {
    app = await startApp({
      ALLOW_SOCIAL_LOGIN: 'true',
      ALLOW_SOCIAL_REGISTRATION: 'true',
      OPENID_CLIENT_ID: client.client_id,
      OPENID_CLIENT_SECRET: client.client_secret ?? '',
      OPENID_ISSUER: options.issuerInput ? options.issuerInput(op.issuer) : op.issuer,
      OPENID_SCOPE: 'openid profile email',
      OPENID_SESSION_SECRET: 'openid-session-secret-for-tests-0123456789',
      DOMAIN_SERVER: appUrl,
      DOMAIN_CLIENT: CLIENT_ORIGIN,
      PORT: String(appPort),
      ...options.env,
    });
  } catch (error) {
    await op.stop();
    throw error;
  }
  return {
    op,
    app,
    client,
    async stop() {
      await app.stop();
      await op.stop();
    },
  };
}

export interface BrowserLogin {
  /** The browser's tab on the app (its cookie jar holds the session). */
  http: HttpClient;
  /** GET /oauth/openid. */
  start: HttpResponse;
  /** The authorization request as sent to the IdP. */
  authorization: URL;
  /** The IdP's redirect back to the app. */
  redirectBack: URL;
  /** GET of the callback on the app. */
  callback: HttpResponse;
}

/** Clicks "Continue with OpenID", signs in at the IdP and lets the app finish the callback. */
export async function browserLogin(stack: OpenIdStack, options: { login?: string; http?: HttpClient; opJar?: CookieJar } = {}): Promise<BrowserLogin> {
  const http = options.http ?? new HttpClient(stack.app.url);
  const start = await http.get('/oauth/openid');
  if (start.status !== 302 || !start.location?.startsWith(stack.op.issuer)) throw new Error(`/oauth/openid answered ${start.status} → ${start.location}`);
  const authorization = new URL(start.location);
  const redirectBack = await completeLogin(authorization, { login: options.login ?? 'alice', jar: options.opJar ?? new CookieJar() });
  const callback = await http.get(redirectBack.pathname + redirectBack.search);
  return { http, start, authorization, redirectBack, callback };
}

/** Cookie names a response set with a non-empty value. */
export function cookiesSet(res: HttpResponse): string[] {
  return res.setCookies.filter((c) => c.value !== '' && !(c.expires && c.expires.getTime() < Date.now())).map((c) => c.name);
}

/**
 * Auth0's shape from its guide: a public client with PKCE, OPENID_AUDIENCE so access tokens are
 * JWTs for that API, refresh tokens (offline_access) and token reuse on.
 */
export function auth0Shape(audience: string): Required<Pick<OpenIdStackOptions, 'client' | 'idp' | 'env'>> {
  return {
    client: { client_secret: undefined, token_endpoint_auth_method: 'none' },
    idp: { audience, audienceMode: 'on-request', audienceScope: 'read:chat', issueRefreshToken: 'always' },
    env: {
      OPENID_CLIENT_SECRET: '',
      OPENID_USE_PKCE: 'true',
      OPENID_AUDIENCE: audience,
      OPENID_SCOPE: 'openid profile email offline_access',
      OPENID_REUSE_TOKENS: 'true',
    },
  };
}
