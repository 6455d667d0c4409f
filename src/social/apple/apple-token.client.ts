import type { OutboundProxy } from '../../common/outbound-proxy';
import type { AppleSettings } from '../../config';
import { SocialLoginFailure } from '../social-identity';
import { appleClientSecret } from './apple-client-secret';

const TIMEOUT_MS = 5_000;

/**
 * The code exchange at Apple's `/auth/token` (client_secret_post with the ES256 client secret).
 * Only the ID token of this back-channel answer is used: the one in the form post is
 * front-channel and ignored. A 5xx, a timeout or a dead socket is an outage; `invalid_grant`
 * and other 4xx answers are a refused sign-in.
 */
/** Told of each token call's outcome (`ok`, `http_4xx`, `http_5xx`, `network_error`) and latency: the provider-call metric. */
export type AppleCallReport = (outcome: string, seconds: number) => void;

export async function exchangeAppleCode(
  settings: AppleSettings,
  code: string,
  redirectUri: string,
  now: Date,
  proxy: OutboundProxy,
  report: AppleCallReport = () => undefined,
): Promise<string> {
  const form = new URLSearchParams({
    client_id: settings.clientId,
    client_secret: appleClientSecret(settings, now),
    code,
    grant_type: 'authorization_code',
    redirect_uri: redirectUri,
  });
  let response: Response;
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const url = `${settings.baseUrl}/auth/token`;
    // Through PROXY like every provider call (unless NO_PROXY names the host); `dispatcher` is undici's fetch option.
    const dispatcher = proxy.dispatcherFor(url);
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      ...(dispatcher ? { dispatcher } : {}),
    } as RequestInit);
  } catch (error) {
    report('network_error', seconds());
    throw new SocialLoginFailure('provider_unavailable', `apple: token endpoint did not answer: ${(error as Error).message}`);
  }
  report(response.ok ? 'ok' : response.status >= 500 ? 'http_5xx' : 'http_4xx', seconds());
  const body = (await response.json().catch(() => null)) as { id_token?: unknown; error?: unknown } | null;
  if (response.status >= 500) throw new SocialLoginFailure('provider_unavailable', `apple: token endpoint answered HTTP ${response.status}`);
  if (response.status !== 200)
    throw new SocialLoginFailure(
      'provider_error',
      `apple: token endpoint answered HTTP ${response.status} (${typeof body?.error === 'string' ? body.error.slice(0, 64) : 'no error code'})`,
    );
  if (typeof body?.id_token !== 'string') throw new SocialLoginFailure('provider_error', 'apple: token response without id_token');
  return body.id_token;
}
