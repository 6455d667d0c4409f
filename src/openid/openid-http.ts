import { Injectable, Logger, Optional } from '@nestjs/common';
import { OutboundCalls } from '../common/outbound-calls';
import { OpenIdConfig } from '../config';
import { maskBody, maskHeaders, maskUrl } from './debug-masking';
import { IdpUnavailableError } from './openid-errors';
import { outboundProxy } from '../common/outbound-proxy';

/** Well below jwks-rsa's 30 s default: a slow IdP must not hold browser requests hostage (RL-07). */
export const IDP_TIMEOUT_MS = 5_000;

export interface IdpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, otherwise null. */
  json: Record<string, unknown> | null;
}

/**
 * Every call to the identity provider goes through here (discovery, JWKS, token, UserInfo,
 * on-behalf-of, revocation): one timeout, PROXY/NO_PROXY, one place that turns network failures
 * and 5xx into IdpUnavailableError, and the masked request/response log of DEBUG_OPENID_REQUESTS.
 */
@Injectable()
export class OpenIdHttp {
  private readonly logger = new Logger('OpenIdHttp');
  /** Counts requests per purpose, for diagnostics and the benchmark (JWKS fetches after warm-up). */
  readonly counters = new Map<string, number>();

  constructor(
    private readonly config: OpenIdConfig,
    @Optional() private readonly calls?: OutboundCalls,
  ) {}

  /** Reports the call for the metrics (provider call counts, outcomes, latency, JWKS fetches). */
  private observe(purpose: string, started: number, outcome: string): void {
    this.calls?.report({ provider: 'openid', endpoint: purpose, outcome, seconds: (performance.now() - started) / 1000 });
  }

  async request(
    purpose: string,
    url: string,
    init: { method?: string; headers?: Record<string, string>; form?: URLSearchParams; json?: unknown } = {},
  ): Promise<IdpResponse> {
    const method = init.method ?? (init.form || init.json !== undefined ? 'POST' : 'GET');
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    else if (init.json !== undefined) headers['content-type'] = 'application/json';
    this.counters.set(purpose, (this.counters.get(purpose) ?? 0) + 1);
    if (this.config.debugRequests) {
      this.logger.log({ purpose, method, url: maskUrl(url), headers: maskHeaders(headers), body: init.form ? maskBody(init.form) : undefined }, 'IdP request');
    }
    let response: Response;
    const started = performance.now();
    try {
      const dispatcher = outboundProxy(this.config.proxy, this.config.noProxy).dispatcherFor(url);
      // `dispatcher` is undici's extension to fetch's RequestInit (Node's fetch is undici).
      response = await fetch(url, {
        method,
        headers,
        body: init.form?.toString() ?? (init.json !== undefined ? JSON.stringify(init.json) : undefined),
        redirect: 'manual',
        signal: AbortSignal.timeout(IDP_TIMEOUT_MS),
        ...(dispatcher ? { dispatcher } : {}),
      } as RequestInit);
    } catch (error) {
      const cause =
        error instanceof Error
          ? error.name === 'TimeoutError'
            ? `timed out after ${IDP_TIMEOUT_MS} ms`
            : String((error as { cause?: unknown }).cause ?? error.message)
          : String(error);
      if (this.config.debugRequests) this.logger.log({ purpose, url: maskUrl(url), error: cause }, 'IdP request failed');
      this.observe(purpose, started, 'network_error');
      throw new IdpUnavailableError(`${purpose}: ${method} ${maskUrl(url)} failed: ${cause}`);
    }
    const text = await response.text().catch(() => '');
    this.observe(purpose, started, response.status >= 500 ? 'http_5xx' : response.status >= 400 ? 'http_4xx' : 'ok');
    let json: Record<string, unknown> | null = null;
    if (/json/i.test(response.headers.get('content-type') ?? '') || /^\s*\{/.test(text)) {
      try {
        const parsed: unknown = JSON.parse(text);
        json = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
      } catch {
        json = null;
      }
    }
    if (this.config.debugRequests) {
      this.logger.log(
        { purpose, status: response.status, headers: maskHeaders(Object.fromEntries(response.headers.entries())), body: maskBody(json) },
        'IdP response',
      );
    }
    if (response.status >= 500) throw new IdpUnavailableError(`${purpose}: ${method} ${maskUrl(url)} answered ${response.status}`);
    return { status: response.status, headers: response.headers, json };
  }
}
