import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Client metadata in oidc-provider's (snake_case, RFC 7591) shape. */
export interface OidcClientConfig {
  client_id: string;
  /** Omit for public clients (then use token_endpoint_auth_method: 'none'). */
  client_secret?: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'none';
  /** Defaults to ['authorization_code']; add 'refresh_token' for refresh grants. */
  grant_types?: string[];
  response_types?: string[];
  scope?: string;
  [metadata: string]: unknown;
}

export interface OidcAccount {
  accountId: string;
  /** Defaults to the provider-wide `password`. */
  password?: string;
  /** Released per scope: email, email_verified, name, given_name, family_name, preferred_username, roles, groups, … */
  claims?: Record<string, unknown>;
}

export interface OidcProviderOptions {
  clients: OidcClientConfig[];
  accounts: OidcAccount[];
  /** Password accepted for every account without its own. Default 'password'. */
  password?: string;
  /** Default true. */
  pkceRequired?: boolean;
  /** Resource server identifier; tokens issued for it are JWTs with `aud` = audience. */
  audience?: string;
  /** 'always' (default): every grant targets `audience`; 'on-request': only when the auth request carries `audience`/`resource`. */
  audienceMode?: 'always' | 'on-request';
  /** Space-separated scopes the resource server accepts (end up in the JWT's `scope`). Default ''. */
  audienceScope?: string;
  /** Seconds. */
  accessTokenTtl?: number;
  idTokenTtl?: number;
  refreshTokenTtl?: number;
  authorizationCodeTtl?: number;
  /** Default 'offline_access' (client must also allow the refresh_token grant). */
  issueRefreshToken?: 'offline_access' | 'always' | 'never';
  /** Issue a new refresh token on every refresh grant (the old one is then consumed). Default false. */
  rotateRefreshToken?: boolean;
  /** Extra scope → claim names, merged over the defaults (openid, email, profile, roles, groups). */
  claims?: Record<string, string[]>;
  /** Extra scopes without claims. */
  scopes?: string[];
  /** Default false: scope claims are put into the id_token, not only into userinfo. */
  conformIdTokenClaims?: boolean;
  startupTimeoutMs?: number;
  /** Listen on this port (e.g. one an app was configured with before the provider existed). Default: ephemeral. */
  port?: number;
  /** Account claims copied into JWT access tokens (Keycloak-style `realm_access`). */
  accessTokenClaims?: string[];
}

/** Faults and tampering the provider applies until changed (see idp-server.mjs). */
export interface OidcFaults {
  /** Status the JWKS endpoint answers instead of the keys. */
  jwks?: number;
  /** Authorization-code grants: an HTTP status, or 'invalid_grant'. */
  token?: number | 'invalid_grant';
  /** Refresh-token grants: an HTTP status, or 'invalid_grant'. */
  refresh?: number | 'invalid_grant';
  /** Rewrites the id_token of the token response (default: of authorization-code grants). */
  tamper?:
    | 'bad-signature'
    | 'wrong-iss'
    | 'wrong-aud'
    | 'extra-aud-no-azp'
    | 'no-nonce'
    | 'wrong-nonce'
    | 'expired'
    | 'future-iat'
    | 'no-iat'
    | 'alg-none'
    | 'hs256-with-public-key'
    | 'unknown-kid'
    | 'other-sub';
  tamperGrant?: 'authorization_code' | 'refresh_token';
  /** Removes refresh_token from token responses. */
  dropRefreshToken?: boolean;
  /** UserInfo answers with this sub. */
  userinfoSub?: string;
}

export interface OidcProviderHandle {
  issuer: string;
  port: number;
  discoveryUrl: string;
  jwksUri: string;
  /** Signs new tokens with a fresh RSA key; the previous keys stay in the JWKS unless `dropPrevious`. Resolves to the new kid. */
  rotateKeys(options?: { dropPrevious?: boolean }): Promise<string>;
  /** Replaces the registered clients (e.g. once the relying party's port is known). */
  updateClients(clients: OidcClientConfig[]): Promise<void>;
  /** Replaces the active faults ({} clears them). */
  setFaults(faults: OidcFaults): Promise<void>;
  /** Requests served so far, per path. */
  stats(): Promise<Record<string, number>>;
  /** A JWT over `payload` signed with the provider's current key (header: RS256, its kid, typ logout+jwt, plus `header`). */
  sign(payload: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** Replaces an account's claims (as an IdP admin changing roles or groups); tokens issued later carry them. */
  setClaims(accountId: string, claims: Record<string, unknown>): Promise<void>;
  /** Everything the child wrote to stderr so far (oidc-provider warnings, server_error). */
  logs(): string;
  stop(): Promise<void>;
}

const SERVER_SCRIPT = join(__dirname, 'idp-server.mjs');

export async function startOidcProvider(options: OidcProviderOptions): Promise<OidcProviderHandle> {
  // Generous: the provider starts in about a second, but a loaded CI host has stalled it for more
  // than 15 s. The hook that calls this has jest's 60 s, and the app still has to start after it.
  const { startupTimeoutMs = 40_000, ...config } = options;
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [SERVER_SCRIPT], {
    env: { ...process.env, IDP_CONFIG: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = new LineQueue(child);

  let port: number;
  try {
    const ready = await lines.next((line) => line.startsWith('READY '), startupTimeoutMs, 'READY');
    port = Number(ready.split(' ')[1]);
  } catch (err) {
    await terminate(child);
    const waited = Date.now() - spawnedAt;
    throw new Error(`OpenID Provider failed to start after ${waited} ms: ${(err as Error).message}\n--- child stderr ---\n${stderr}`);
  }

  const issuer = `http://127.0.0.1:${port}`;
  // Commands are answered in order, so one at a time keeps replies unambiguous.
  let queue: Promise<unknown> = Promise.resolve();
  const command = (line: string, reply: string): Promise<string> => {
    const run = queue.then(async () => {
      const answer = lines.next((l) => l.startsWith(`${reply}`) || l.startsWith('ERROR '), 10_000, reply);
      child.stdin.write(`${line}\n`);
      const got = await answer;
      if (got.startsWith('ERROR ')) throw new Error(`OpenID Provider: ${got}`);
      return got;
    });
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    issuer,
    port,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    jwksUri: `${issuer}/jwks`,
    rotateKeys: async ({ dropPrevious = false } = {}) => (await command(dropPrevious ? 'ROTATE drop' : 'ROTATE', 'ROTATED ')).split(' ')[1],
    setFaults: async (faults) => {
      await command(`FAULT ${JSON.stringify(faults)}`, 'FAULTS_SET');
    },
    stats: async () => JSON.parse((await command('STATS', 'STATS ')).slice('STATS '.length)) as Record<string, number>,
    updateClients: async (clients) => {
      await command(`CLIENTS ${JSON.stringify(clients)}`, 'CLIENTS_UPDATED');
    },
    sign: async (payload, header) => (await command(`SIGN ${JSON.stringify({ payload, header })}`, 'SIGNED ')).slice('SIGNED '.length),
    setClaims: async (accountId, claims) => {
      await command(`CLAIMS ${JSON.stringify({ accountId, claims })}`, 'CLAIMS_SET');
    },
    logs: () => stderr,
    stop: () => terminate(child),
  };
}

/** Waits for stdout lines matching a predicate; unmatched lines (oidc-provider notices) are dropped. */
class LineQueue {
  private waiters: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  private closed: Error | undefined;
  private readonly rejectors = new Set<(err: Error) => void>();

  constructor(child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const index = this.waiters.findIndex((w) => w.match(line));
      if (index >= 0) this.waiters.splice(index, 1)[0].resolve(line);
    });
    child.on('exit', (code, signal) => {
      this.closed = new Error(`child exited (code ${code}, signal ${signal})`);
      for (const reject of this.rejectors) reject(this.closed);
    });
  }

  next(match: (line: string) => boolean, timeoutMs: number, label: string): Promise<string> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (line: string) => {
          cleanup();
          resolve(line);
        },
      };
      const fail = (err: Error) => {
        cleanup();
        reject(err);
      };
      // Timers run before I/O in each turn of the event loop: if this process was busy past the
      // deadline, the awaited line may already be waiting to be read. Give it that one turn
      // (setImmediate runs after the I/O phase) so only a child that really said nothing fails.
      const timer = setTimeout(
        () => setImmediate(() => this.waiters.includes(waiter) && fail(new Error(`timed out after ${timeoutMs} ms waiting for ${label}`))),
        timeoutMs,
      );
      const cleanup = () => {
        clearTimeout(timer);
        this.rejectors.delete(fail);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      this.rejectors.add(fail);
      this.waiters.push(waiter);
    });
  }
}

function terminate(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    // Closing stdin is the child's cue to shut its server down and exit.
    child.stdin.end();
  });
}
