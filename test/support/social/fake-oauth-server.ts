import { createHash, createHmac, randomBytes } from 'node:crypto';
import * as http from 'node:http';

/** A person known to the fake provider, in that provider's own profile shape. */
export type FakeUser = Record<string, unknown>;

export interface FakeShape {
  /** Provider name, for error messages. */
  name: string;
  authorizePath: string;
  tokenPath: string;
  /** How the token endpoint answers a good request (GitHub answers form-encoded unless asked for JSON). */
  tokenResponse?: (accessToken: string, req: http.IncomingMessage) => { contentType: string; body: string };
  /** Resource endpoints: path → answer for the user the token belongs to (null = 404). */
  resources: Record<string, (user: FakeUser, url: URL, server: FakeOAuthServer) => unknown>;
}

export interface AuthorizationRecord {
  query: URLSearchParams;
}

interface IssuedCode {
  login: string;
  redirectUri: string;
  challenge: string | null;
  method: string | null;
  clientId: string;
}

/**
 * A loopback stand-in for a SaaS OAuth 2.0 provider: an authorize endpoint that "signs in" the
 * user the test chose and redirects back with a code, a token endpoint that checks client
 * credentials, redirect_uri and the PKCE verifier like the real one, and bearer-protected
 * profile endpoints in the provider's documented shape.
 */
export class FakeOAuthServer {
  readonly clientId = 'fake-client-id';
  readonly clientSecret = 'fake-client-secret';
  url = '';
  /** Who signs in at the next authorize request. */
  nextLogin = 'alice';
  /** Next authorize request answers `error=access_denied` instead of a code. */
  denyNext = false;
  /** Status the token endpoint answers with (e.g. 500) instead of a token. */
  tokenFailureStatus: number | null = null;
  readonly authorizations: AuthorizationRecord[] = [];
  readonly tokenRequests: URLSearchParams[] = [];
  readonly resourceRequests: { path: string; url: URL; headers: http.IncomingHttpHeaders }[] = [];
  private readonly codes = new Map<string, IssuedCode>();
  private readonly tokens = new Map<string, string>();
  private server: http.Server | null = null;

  constructor(
    readonly shape: FakeShape,
    readonly users: Record<string, FakeUser>,
  ) {}

  /** `port`: restart on the same address after `stop()` (the app keeps the URL it was given). */
  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: String(error) }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      // Keep-alive sockets from the app would otherwise hold the port open.
      this.server.closeAllConnections();
    });
  }

  get lastAuthorization(): URLSearchParams {
    const last = this.authorizations.at(-1);
    if (!last) throw new Error(`${this.shape.name}: no authorization request yet`);
    return last.query;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname === this.shape.authorizePath) return this.authorize(url, res);
    if (req.method === 'POST' && url.pathname === this.shape.tokenPath) return this.token(req, res);
    const resource = this.shape.resources[url.pathname];
    if (req.method === 'GET' && resource) {
      this.resourceRequests.push({ path: url.pathname, url, headers: req.headers });
      const auth = req.headers.authorization;
      const token =
        auth?.toLowerCase().startsWith('bearer ') || auth?.toLowerCase().startsWith('token ') ? auth.split(' ')[1] : url.searchParams.get('access_token');
      const login = token ? this.tokens.get(token) : undefined;
      if (!login) return json(res, 401, { message: 'Bad credentials' });
      const body = resource(this.users[login], url, this);
      return body === null ? json(res, 404, { message: 'Not Found' }) : json(res, 200, body);
    }
    json(res, 404, { error: 'not_found', path: url.pathname });
  }

  private authorize(url: URL, res: http.ServerResponse): void {
    const q = url.searchParams;
    this.authorizations.push({ query: q });
    const redirectUri = q.get('redirect_uri');
    if (q.get('client_id') !== this.clientId || !redirectUri || q.get('response_type') !== 'code') return json(res, 400, { error: 'invalid_request' });
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    if (this.denyNext) {
      this.denyNext = false;
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user denied the request');
    } else {
      const code = randomBytes(16).toString('hex');
      this.codes.set(code, {
        login: this.nextLogin,
        redirectUri,
        challenge: q.get('code_challenge'),
        method: q.get('code_challenge_method'),
        clientId: this.clientId,
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.href });
    res.end();
  }

  private async token(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    this.tokenRequests.push(form);
    if (this.tokenFailureStatus !== null) {
      // An outage looks like a load balancer's page, not an OAuth error document.
      res.writeHead(this.tokenFailureStatus, { 'content-type': 'text/html' });
      res.end('<html><body><h1>Internal Server Error</h1></body></html>');
      return;
    }
    const [basicId, basicSecret] = basicCredentials(req.headers.authorization);
    const clientId = form.get('client_id') ?? basicId;
    const clientSecret = form.get('client_secret') ?? basicSecret;
    if (clientId !== this.clientId || clientSecret !== this.clientSecret) return json(res, 401, { error: 'invalid_client' });
    const code = form.get('code') ?? '';
    const issued = this.codes.get(code);
    this.codes.delete(code);
    if (!issued || form.get('grant_type') !== 'authorization_code' || form.get('redirect_uri') !== issued.redirectUri)
      return json(res, 400, { error: 'invalid_grant' });
    if (issued.challenge) {
      const verifier = form.get('code_verifier') ?? '';
      const computed = issued.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (computed !== issued.challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
    }
    const accessToken = randomBytes(16).toString('hex');
    this.tokens.set(accessToken, issued.login);
    const answer = this.shape.tokenResponse?.(accessToken, req) ?? {
      contentType: 'application/json',
      body: JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: 3600 }),
    };
    res.writeHead(200, { 'content-type': answer.contentType });
    res.end(answer.body);
  }

  /** appsecret_proof as Facebook computes it (HMAC-SHA256 of the token with the app secret). */
  appSecretProof(token: string): string {
    return createHmac('sha256', this.clientSecret).update(token).digest('hex');
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
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

function basicCredentials(header: string | undefined): [string | null, string | null] {
  if (!header?.startsWith('Basic ')) return [null, null];
  const [id, secret] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  return [decodeURIComponent(id ?? ''), decodeURIComponent(secret ?? '')];
}
