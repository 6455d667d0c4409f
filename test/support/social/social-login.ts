import type { Env } from '../../../src/config';
import { startApp, type RunningApp } from '../app.harness';
import { HttpClient, type HttpResponse } from '../http';
import type { FakeOAuthServer } from './fake-oauth-server';

/** The SPA's origin: nothing listens there, redirects to it are only inspected. */
export const CLIENT_ORIGIN = 'http://localhost:3999';
export const FAILURE_URL = `${CLIENT_ORIGIN}/login?redirect=false&error=auth_failed`;

/** Env prefix per provider (GOOGLE_CLIENT_ID, GOOGLE_OAUTH_BASE_URL, …). */
export function providerEnv(prefix: string, fake: FakeOAuthServer, baseVariable = `${prefix}_OAUTH_BASE_URL`): Env {
  return { [`${prefix}_CLIENT_ID`]: fake.clientId, [`${prefix}_CLIENT_SECRET`]: fake.clientSecret, [baseVariable]: fake.url };
}

/** The real app with social login on; DOMAIN_SERVER is filled in once the port is known. */
export async function startSocialApp(env: Env, options: Parameters<typeof startApp>[1] = {}): Promise<RunningApp> {
  const { freePort } = await import('../free-port');
  const port = await freePort();
  return startApp(
    {
      ALLOW_SOCIAL_LOGIN: 'true',
      ALLOW_SOCIAL_REGISTRATION: 'true',
      DOMAIN_SERVER: `http://127.0.0.1:${port}`,
      DOMAIN_CLIENT: CLIENT_ORIGIN,
      PORT: String(port),
      ...env,
    },
    options,
  );
}

export interface SocialBrowserLogin {
  http: HttpClient;
  start: HttpResponse;
  authorization: URL;
  /** The provider's redirect back to the app. */
  redirectBack: URL;
  callback: HttpResponse;
}

/** Clicks "Continue with <provider>", lets the fake provider sign `login` in and the app finish the callback. */
export async function socialLogin(
  app: RunningApp,
  fake: FakeOAuthServer,
  provider: string,
  options: { login?: string; http?: HttpClient; startPath?: string } = {},
): Promise<SocialBrowserLogin> {
  const http = options.http ?? new HttpClient(app.url);
  if (options.login) fake.nextLogin = options.login;
  const start = await http.get(options.startPath ?? `/oauth/${provider}`);
  if (start.status !== 302 || !start.location?.startsWith(fake.url)) throw new Error(`/oauth/${provider} answered ${start.status} → ${start.location}`);
  const authorization = new URL(start.location);
  const atProvider = await new HttpClient(fake.url).get(authorization.pathname + authorization.search);
  if (atProvider.status !== 302 || !atProvider.location) throw new Error(`${provider} authorize answered ${atProvider.status}: ${atProvider.text}`);
  const redirectBack = new URL(atProvider.location);
  const callback = await http.get(redirectBack.pathname + redirectBack.search);
  return { http, start, authorization, redirectBack, callback };
}

/** After a successful callback: the SPA's refresh call, as LibreChat's client does. */
export async function sessionUser(http: HttpClient): Promise<{ status: number; user: Record<string, unknown> | undefined; token: string | undefined }> {
  const refresh = await http.post('/api/auth/refresh');
  return { status: refresh.status, user: refresh.body?.user, token: refresh.body?.token };
}
