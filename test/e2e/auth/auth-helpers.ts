import * as jwt from 'jsonwebtoken';
import type { Env } from '../../../src/config';
import { startApp, type RunningApp } from '../../support/app.harness';
import { HttpClient, type HttpResponse, type Json, type SetCookie } from '../../support/http';

export const PASSWORD = 'correct horse battery';

/** Cost 4 keeps bcrypt out of the way; registration is on because most suites need it. */
export function startAuthApp(env: Env = {}): Promise<RunningApp> {
  return startApp({ ALLOW_REGISTRATION: 'true', PASSWORD_HASH_COST: '4', ...env });
}

export function bearer(token: string): { headers: Record<string, string> } {
  return { headers: { authorization: `Bearer ${token}` } };
}

export function register(
  http: HttpClient,
  email: string,
  password = PASSWORD,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>,
): Promise<HttpResponse> {
  return http.post('/api/auth/register', { json: { name: 'Test User', email, password, confirm_password: password, ...extra }, headers });
}

export function login(http: HttpClient, email: string, password = PASSWORD, headers?: Record<string, string>): Promise<HttpResponse> {
  return http.post('/api/auth/login', { json: { email, password }, headers });
}

export interface SignedInClient {
  http: HttpClient;
  token: string;
  user: Json;
  refreshToken: string;
}

/** Registers (ignoring "already exists") and signs in with a fresh cookie jar. */
export async function signUp(app: RunningApp, email: string, password = PASSWORD): Promise<SignedInClient> {
  const http = new HttpClient(app.url);
  const reg = await register(http, email, password);
  if (reg.status !== 200) throw new Error(`register ${email}: ${reg.status} ${reg.text}`);
  return signIn(app, email, password);
}

/** A new device: its own jar, its own session. */
export async function signIn(app: RunningApp, email: string, password = PASSWORD): Promise<SignedInClient> {
  const http = new HttpClient(app.url);
  const res = await login(http, email, password);
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${res.text}`);
  return { http, token: res.body.token, user: res.body.user, refreshToken: http.jar.get('refreshToken') ?? '' };
}

/** Sends `token` as the refresh cookie from a jar that holds nothing else. */
export function refreshWith(app: RunningApp, token: string, headers?: Record<string, string>): Promise<HttpResponse> {
  const http = new HttpClient(app.url);
  http.jar.set('refreshToken', token);
  return http.post('/api/auth/refresh', { headers });
}

export function cookie(res: HttpResponse, name: string): SetCookie | undefined {
  return res.setCookies.find((c) => c.name === name);
}

/** A clearing Set-Cookie: empty value or an expiry in the past. */
export function isCleared(c: SetCookie | undefined): boolean {
  if (!c) return false;
  return c.value === '' || (c.maxAge !== undefined && c.maxAge <= 0) || (c.expires !== undefined && c.expires.getTime() <= Date.now());
}

/**
 * Signs an access token the way the app does, so tests can vary one property at a time
 * (expiry, audience, typ, secret) instead of waiting for real expiry.
 */
export function signAccessToken(
  app: RunningApp,
  user: { id: string; email: string },
  options: { secret?: string; expSeconds?: number; aud?: string | null; typ?: string | null; extra?: Record<string, unknown> } = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    id: user.id,
    email: user.email,
    username: null,
    provider: 'local',
    sid: null,
    iat: now - 60,
    exp: now + (options.expSeconds ?? 600),
    ...options.extra,
  };
  if (options.aud !== null) payload.aud = options.aud ?? 'gatehouse:access';
  const header: Record<string, unknown> = { alg: 'HS256' };
  if (options.typ !== null) header.typ = options.typ ?? 'at+jwt';
  return jwt.sign(payload, options.secret ?? app.config.secrets.jwtSecret, { algorithm: 'HS256', header: header as unknown as jwt.JwtHeader });
}

export function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
