import { checkAgainstContract } from '../contract/api-contract';
import { CookieJar, parseSetCookie, type SetCookie } from './cookie-jar';

// Tests read response bodies loosely (res.body.user.email); callers wanting rigour pass T.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface RequestOptions {
  json?: unknown;
  form?: Record<string, string> | URLSearchParams;
  /** Raw body; used as-is when neither json nor form is given. */
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Overrides the client's default: number of redirects to follow (0 = report them). */
  followRedirects?: number;
}

export interface RedirectHop {
  status: number;
  url: string;
  location: string;
}

export interface HttpResponse<T = Json> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the content type is JSON, otherwise the text. */
  body: T;
  text: string;
  /** Set-Cookie headers of this (final) response, parsed. */
  setCookies: SetCookie[];
  /** Location header resolved against the request URL, when present. */
  location?: string;
  /** URL of the final request. */
  url: string;
  /** Redirects followed on the way, in order. */
  redirects: RedirectHop[];
}

export interface HttpClientOptions {
  /** Default number of redirects to follow; 0 (default) returns 3xx responses as they are. */
  followRedirects?: number;
  headers?: Record<string, string>;
  /** Checks answers of harness apps against their OpenAPI document (default); off only for deliberately broken exchanges. */
  checkContract?: boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * fetch with manual redirects and a cookie jar per host:port, like a browser tab that
 * only ever talks to loopback. Redirects to other hosts are reported, never followed.
 */
export class HttpClient {
  private readonly jars = new Map<string, CookieJar>();

  constructor(
    readonly baseUrl: string,
    private readonly options: HttpClientOptions = {},
  ) {}

  /** Cookies of the base URL's host:port. */
  get jar(): CookieJar {
    return this.jarFor(this.baseUrl);
  }

  jarFor(url: string): CookieJar {
    const { host } = new URL(url);
    let jar = this.jars.get(host);
    if (!jar) this.jars.set(host, (jar = new CookieJar()));
    return jar;
  }

  get<T = Json>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('GET', path, options);
  }

  post<T = Json>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('POST', path, options);
  }

  put<T = Json>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('PUT', path, options);
  }

  patch<T = Json>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('PATCH', path, options);
  }

  delete<T = Json>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('DELETE', path, options);
  }

  async request<T = Json>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const maxHops = options.followRedirects ?? this.options.followRedirects ?? 0;
    const redirects: RedirectHop[] = [];
    let url = new URL(path, this.baseUrl).href;
    let { body, contentType } = encodeBody(options);

    for (;;) {
      const response = await this.send(method, url, body, contentType, options.headers);
      const location = response.headers.get('location');
      const target = location ? new URL(location, url) : undefined;
      const follow = target && REDIRECT_STATUSES.has(response.status) && redirects.length < maxHops && LOOPBACK_HOSTS.has(target.hostname);
      if (!follow) {
        const answer = await toHttpResponse<T>(response, url, target?.href, redirects);
        if (this.options.checkContract !== false)
          checkAgainstContract(method, url, answer.status, answer.headers.get('content-type') ?? '', answer.body, answer.text);
        return answer;
      }

      await response.arrayBuffer();
      redirects.push({ status: response.status, url, location: target.href });
      // Browsers turn 301/302/303 into a body-less GET; 307/308 replay the request.
      if (response.status !== 307 && response.status !== 308) {
        method = 'GET';
        body = undefined;
        contentType = undefined;
      }
      url = target.href;
    }
  }

  private async send(
    method: string,
    url: string,
    body: string | Buffer | undefined,
    contentType: string | undefined,
    extraHeaders: Record<string, string> = {},
  ): Promise<Response> {
    const { pathname, search } = new URL(url);
    const jar = this.jarFor(url);
    const headers: Record<string, string> = { ...this.options.headers, ...extraHeaders };
    if (contentType && !hasHeader(headers, 'content-type')) headers['content-type'] = contentType;
    const cookie = jar.header(pathname);
    if (cookie && !hasHeader(headers, 'cookie')) headers.cookie = cookie;

    const response = await fetchOnce(url, { method, headers, body, redirect: 'manual' });
    for (const raw of response.headers.getSetCookie()) jar.store(raw, pathname + search);
    return response;
  }
}

/**
 * A pooled keep-alive connection the server closed just as it was reused fails with ECONNRESET
 * before the request reached the server. Browsers retry an idempotent request on a fresh
 * connection in that case; so does this client (GET/HEAD only, once), so a loaded machine's
 * timing cannot fail a test that is not about connections.
 */
async function fetchOnce(url: string, init: RequestInit & { method: string }): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if ((init.method === 'GET' || init.method === 'HEAD') && (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')) return fetch(url, init);
    throw error;
  }
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function encodeBody(options: RequestOptions): { body?: string | Buffer; contentType?: string } {
  if (options.json !== undefined) return { body: JSON.stringify(options.json), contentType: 'application/json' };
  if (options.form !== undefined) {
    return { body: new URLSearchParams(options.form).toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: options.body };
}

async function toHttpResponse<T>(response: Response, url: string, location: string | undefined, redirects: RedirectHop[]): Promise<HttpResponse<T>> {
  const text = await response.text();
  const isJson = /[/+]json\b/i.test(response.headers.get('content-type') ?? '');
  let body: unknown = text;
  if (isJson && text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return {
    status: response.status,
    headers: response.headers,
    body: body as T,
    text,
    setCookies: response.headers.getSetCookie().map(parseSetCookie),
    location,
    url,
    redirects,
  };
}
