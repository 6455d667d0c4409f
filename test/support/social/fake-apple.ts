import { createHmac, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as jwt from 'jsonwebtoken';
import type { Env } from '../../../src/config';

export const APPLE_ISSUER = 'https://appleid.apple.com';

/** A person at the fake Apple: `sub` is Apple's team-scoped user id; `email` is real or private relay. */
export interface FakeAppleUser {
  sub: string;
  email: string;
  emailVerified?: boolean;
  isPrivateEmail?: boolean;
  firstName?: string;
  lastName?: string;
}

/** How the next ID token is spoiled (hostile-provider cases). */
export type IdTokenFault = 'wrong-iss' | 'wrong-aud' | 'wrong-nonce' | 'expired' | 'alg-none' | 'hs256' | 'unknown-kid' | 'foreign-key';

interface IssuedCode {
  login: string;
  clientId: string;
  redirectUri: string;
  nonce: string | null;
}

/**
 * A loopback stand-in for Sign in with Apple in its documented shapes: `/auth/authorize` (with
 * `response_mode=form_post` it answers an HTML page whose form posts `code`, `state` and — on a
 * user's first authorisation only — `user` as JSON to the redirect URI), `/auth/token` (checks
 * the ES256 client secret JWT against the team's public key: kid, iss = team id, sub = client
 * id, aud = https://appleid.apple.com, exp), `/auth/keys` (RS256 JWKS). Keys are generated per
 * run: the team's `.p8` (written to a temp file for APPLE_PRIVATE_KEY_PATH) and Apple's signing key.
 */
export class FakeApple {
  readonly clientId = 'org.example.gatehouse.web';
  readonly teamId = 'TEAM123456';
  readonly keyId = 'KEY1234567';
  readonly keyPath: string;
  url = '';
  nextLogin = 'ada';
  denyNext = false;
  tokenFailureStatus: number | null = null;
  idTokenFault: IdTokenFault | null = null;
  readonly authorizations: URLSearchParams[] = [];
  readonly tokenRequests: URLSearchParams[] = [];
  /** Why the last token request was refused, for test diagnostics. */
  lastTokenRefusal: string | null = null;
  private readonly teamPublicKey: KeyObject;
  private readonly signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly signingKid = randomBytes(5).toString('hex');
  private readonly codes = new Map<string, IssuedCode>();
  /** Apple sends the `user` field only on the first authorisation of an app by a user. */
  private readonly authorizedBefore = new Set<string>();
  private server: http.Server | null = null;

  constructor(readonly users: Record<string, FakeAppleUser>) {
    const team = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.teamPublicKey = team.publicKey;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-apple-'));
    this.keyPath = path.join(dir, `AuthKey_${this.keyId}.p8`);
    fs.writeFileSync(this.keyPath, team.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  }

  /** The app's APPLE_* variables for this fake. */
  env(): Env {
    return {
      APPLE_CLIENT_ID: this.clientId,
      APPLE_TEAM_ID: this.teamId,
      APPLE_KEY_ID: this.keyId,
      APPLE_PRIVATE_KEY_PATH: this.keyPath,
      APPLE_OAUTH_BASE_URL: this.url,
    };
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => send(res, 500, 'application/json', JSON.stringify({ error: String(error) })));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  get lastAuthorization(): URLSearchParams {
    const last = this.authorizations.at(-1);
    if (!last) throw new Error('apple: no authorization request yet');
    return last;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname === '/auth/authorize') return this.authorize(url.searchParams, res);
    if (req.method === 'POST' && url.pathname === '/auth/token') return this.token(new URLSearchParams(await readBody(req)), res);
    if (req.method === 'GET' && url.pathname === '/auth/keys') {
      const jwk = this.signing.publicKey.export({ format: 'jwk' });
      return send(res, 200, 'application/json', JSON.stringify({ keys: [{ kty: 'RSA', kid: this.signingKid, use: 'sig', alg: 'RS256', n: jwk.n, e: jwk.e }] }));
    }
    send(res, 404, 'application/json', JSON.stringify({ error: 'not_found' }));
  }

  private authorize(q: URLSearchParams, res: http.ServerResponse): void {
    this.authorizations.push(q);
    const redirectUri = q.get('redirect_uri');
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    // Apple: response_mode must be form_post when name or email is requested.
    if (
      q.get('client_id') !== this.clientId ||
      !redirectUri ||
      q.get('response_type') !== 'code' ||
      (scopes.length > 0 && q.get('response_mode') !== 'form_post')
    ) {
      return send(res, 400, 'text/html', '<html><body>invalid_request</body></html>');
    }
    const fields: Record<string, string> = {};
    const state = q.get('state');
    if (state !== null) fields.state = state;
    const user = this.users[this.nextLogin];
    if (this.denyNext) {
      this.denyNext = false;
      fields.error = 'user_cancelled_authorize';
    } else {
      const code = `c${randomBytes(16).toString('hex')}.0.abcd.${randomBytes(8).toString('hex')}`;
      this.codes.set(code, { login: this.nextLogin, clientId: this.clientId, redirectUri, nonce: q.get('nonce') });
      fields.code = code;
      if (!this.authorizedBefore.has(user.sub)) {
        this.authorizedBefore.add(user.sub);
        fields.user = JSON.stringify({ name: { firstName: user.firstName ?? '', lastName: user.lastName ?? '' }, email: user.email });
      }
    }
    const inputs = Object.entries(fields)
      .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
      .join('');
    send(
      res,
      200,
      'text/html',
      `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(redirectUri)}">${inputs}<noscript><button>Continue</button></noscript></form></body></html>`,
    );
  }

  private token(form: URLSearchParams, res: http.ServerResponse): void {
    this.tokenRequests.push(form);
    if (this.tokenFailureStatus !== null) return send(res, this.tokenFailureStatus, 'text/html', '<html><body>Service Unavailable</body></html>');
    const refuse = (error: string, why: string) => {
      this.lastTokenRefusal = why;
      send(res, 400, 'application/json', JSON.stringify({ error }));
    };
    const secretProblem = this.checkClientSecret(form.get('client_secret') ?? '', form.get('client_id') ?? '');
    if (secretProblem) return refuse('invalid_client', secretProblem);
    const code = form.get('code') ?? '';
    const issued = this.codes.get(code);
    this.codes.delete(code);
    if (!issued || form.get('grant_type') !== 'authorization_code' || form.get('redirect_uri') !== issued.redirectUri)
      return refuse('invalid_grant', 'unknown or used code, or another redirect_uri');
    const user = this.users[issued.login];
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: this.idTokenFault === 'wrong-iss' ? 'https://evil.example' : APPLE_ISSUER,
      aud: this.idTokenFault === 'wrong-aud' ? 'org.example.other' : issued.clientId,
      exp: this.idTokenFault === 'expired' ? now - 3600 : now + 600,
      iat: this.idTokenFault === 'expired' ? now - 4200 : now,
      sub: user.sub,
      ...(issued.nonce !== null ? { nonce: this.idTokenFault === 'wrong-nonce' ? 'another-nonce' : issued.nonce, nonce_supported: true } : {}),
      at_hash: randomBytes(8).toString('base64url'),
      email: user.email,
      // Apple sends these as strings.
      email_verified: String(user.emailVerified ?? true),
      is_private_email: String(user.isPrivateEmail ?? false),
      auth_time: now,
    };
    const fault = this.idTokenFault;
    this.idTokenFault = null;
    send(
      res,
      200,
      'application/json',
      JSON.stringify({
        access_token: `a${randomBytes(16).toString('hex')}`,
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: `r${randomBytes(16).toString('hex')}`,
        id_token: this.idToken(claims, fault),
      }),
    );
  }

  private idToken(claims: Record<string, unknown>, fault: IdTokenFault | null): string {
    if (fault === 'alg-none') return `${b64({ alg: 'none', kid: this.signingKid })}.${b64(claims)}.`;
    if (fault === 'hs256') {
      const pem = this.signing.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      return `${b64({ alg: 'HS256', kid: this.signingKid })}.${b64(claims)}.${createHmac('sha256', pem)
        .update(`${b64({ alg: 'HS256', kid: this.signingKid })}.${b64(claims)}`)
        .digest('base64url')}`;
    }
    if (fault === 'foreign-key')
      return jwt.sign(claims, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, { algorithm: 'RS256', keyid: this.signingKid });
    return jwt.sign(claims, this.signing.privateKey, { algorithm: 'RS256', keyid: fault === 'unknown-kid' ? 'not-a-known-kid' : this.signingKid });
  }

  /** Apple's checks on the client secret JWT; a string says what is wrong. */
  private checkClientSecret(secret: string, clientId: string): string | null {
    const decoded = jwt.decode(secret, { complete: true });
    if (!decoded) return 'client_secret is not a JWT';
    if (decoded.header.alg !== 'ES256' || decoded.header.kid !== this.keyId) return `client_secret header ${JSON.stringify(decoded.header)}`;
    try {
      const claims = jwt.verify(secret, this.teamPublicKey, {
        algorithms: ['ES256'],
        audience: APPLE_ISSUER,
        issuer: this.teamId,
        subject: clientId,
      }) as jwt.JwtPayload;
      if (clientId !== this.clientId) return 'unknown client_id';
      if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number' || claims.exp - claims.iat > 15777000)
        return 'client_secret lifetime over six months';
      return null;
    } catch (error) {
      return `client_secret: ${(error as Error).message}`;
    }
  }
}

/** The hidden fields of the fake's form_post page (what a browser would POST back). */
export function formPostFields(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`not a form_post page: ${html.slice(0, 200)}`);
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = unescapeHtml(m[2]);
  return { action: unescapeHtml(action), fields };
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unescapeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
