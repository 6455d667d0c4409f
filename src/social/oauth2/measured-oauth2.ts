import type { OutboundCalls } from '../../common/outbound-calls';

type OAuthCallback = (error: { statusCode?: number } | null, ...rest: unknown[]) => void;
interface OAuth2Client {
  _accessTokenUrl?: string;
  _request?: (method: string, url: string, headers: unknown, body: unknown, accessToken: unknown, callback: OAuthCallback) => unknown;
}

/**
 * Reports each call a passport-oauth2 strategy makes through the `oauth` library (token exchange,
 * profile and email calls) to OutboundCalls, like OpenIdHttp does for the OpenID client: by
 * provider name, purpose (`token` or `userinfo`, never the URL) and outcome, with its latency.
 */
export function measureOAuth2Calls(strategy: unknown, provider: string, calls: OutboundCalls, now: () => number = () => performance.now()): void {
  const client = (strategy as { _oauth2?: OAuth2Client })._oauth2;
  const request = client?._request;
  if (!client || typeof request !== 'function') return;
  client._request = function measured(method, url, headers, body, accessToken, callback) {
    const started = now();
    const endpoint = url === client._accessTokenUrl ? 'token' : 'userinfo';
    return request.call(this, method, url, headers, body, accessToken, (error, ...rest) => {
      const status = error?.statusCode;
      const outcome = !error ? 'ok' : typeof status === 'number' ? (status >= 500 ? 'http_5xx' : 'http_4xx') : 'network_error';
      calls.report({ provider, endpoint, outcome, seconds: (now() - started) / 1000 });
      callback(error, ...rest);
    });
  };
}
