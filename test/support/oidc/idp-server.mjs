// Child process hosting a real oidc-provider (ESM-only, hence not loadable from the
// CommonJS jest runtime). Configuration arrives as JSON in IDP_CONFIG; the parent talks
// to us over stdin/stdout lines: we print `READY <port>`, then answer commands:
//   ROTATE [drop]      -> ROTATED <kid>
//   CLIENTS <json[]>   -> CLIENTS_UPDATED
//   FAULT <json>       -> FAULTS_SET  (endpoint faults and token tampering, see `faults` below)
//   STATS              -> STATS <json> (requests served per path)
//   CLAIMS <json>      -> CLAIMS_SET  ({accountId, claims}: the account's claims from now on)
//   SIGN <json>        -> SIGNED <jwt> (a payload signed with the current key: hostile logout tokens)
// Errors are reported as `ERROR <command> <message>`. We exit when stdin closes so a
// crashed jest worker never leaves an orphaned provider behind.
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { URLSearchParams } from 'node:url';
import Provider, { errors } from 'oidc-provider';
// oidc-provider 9 gives every Provider instance its own in-memory store, so rebuilding
// for a key rotation would forget sessions, grants and refresh tokens. We reuse its
// memory adapter (no package "exports" map, so the deep import resolves) over one store.
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';

const config = JSON.parse(process.env.IDP_CONFIG ?? '{}');
const accounts = new Map((config.accounts ?? []).map((a) => [a.accountId, a]));
const defaultPassword = config.password ?? 'password';
// Same cookie keys across provider rebuilds, so existing OP sessions survive a rotation.
const cookieKeys = [randomBytes(32).toString('base64url')];

// Unbounded unlike oidc-provider's LRU(1000), so long suites never evict a live session.
class ExpiringMap {
  #entries = new Map();
  get(key) {
    const entry = this.#entries.get(key);
    if (entry?.expiresAt === undefined || entry.expiresAt > Date.now()) return entry?.value;
    this.#entries.delete(key);
    return undefined;
  }
  set(key, value, options) {
    const expiresAt = options?.maxAge ? Date.now() + options.maxAge : undefined;
    this.#entries.set(key, { value, expiresAt });
  }
  delete(key) {
    this.#entries.delete(key);
  }
}
const store = new ExpiringMap();
const adapter = (model) => new MemoryAdapter(model, store);

let clients = config.clients ?? [];
let keys = [generateSigningKey()];

function generateSigningKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

function ttl(seconds, fallback) {
  return typeof seconds === 'number' ? seconds : fallback;
}

function refreshTokenPolicy() {
  switch (config.issueRefreshToken ?? 'offline_access') {
    case 'always':
      return (_ctx, client) => client.grantTypeAllowed('refresh_token');
    case 'never':
      return () => false;
    default:
      return (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access');
  }
}

function resourceIndicators() {
  const { audience, audienceMode = 'always', audienceScope = '' } = config;
  return {
    enabled: true,
    // Auth0-style clients send `audience` instead of RFC 8707 `resource`; map one onto the other.
    defaultResource(ctx, _client, oneOf) {
      if (oneOf) return oneOf;
      const requested = ctx.oidc.params?.audience;
      if (requested) return requested;
      return audience && audienceMode === 'always' ? audience : undefined;
    },
    useGrantedResource: () => true,
    getResourceServerInfo(_ctx, identifier) {
      if (!audience || identifier !== audience) {
        throw new errors.InvalidTarget(`unknown resource server ${identifier}`);
      }
      return {
        audience,
        scope: audienceScope,
        accessTokenFormat: 'jwt',
        accessTokenTTL: ttl(config.accessTokenTtl, 3600),
      };
    },
  };
}

async function findAccount(_ctx, accountId) {
  const account = accounts.get(accountId);
  if (!account) return undefined;
  return {
    accountId,
    // sub is pinned to the accountId: oidc-provider looks accounts up by it later.
    claims: async () => ({ ...(account.claims ?? {}), sub: accountId }),
  };
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

async function onBehalfOfGrant(ctx) {
  const { AccessToken } = ctx.oidc.provider;
  const { assertion, requested_token_use: use, scope } = ctx.oidc.params;
  const original = typeof assertion === 'string' ? await AccessToken.find(assertion) : undefined;
  if (!original || use !== 'on_behalf_of') throw new errors.InvalidGrant('the assertion is not a valid access token');
  const at = new AccessToken({
    accountId: original.accountId,
    client: ctx.oidc.client,
    grantId: original.grantId,
    scope: original.scope,
    claims: original.claims,
    gty: 'on_behalf_of',
  });
  ctx.body = { access_token: await at.save(), token_type: 'Bearer', expires_in: at.expiration, scope: scope ?? '' };
}

function buildProvider(issuer, { clients, keys }) {
  const provider = new Provider(issuer, {
    adapter,
    clients,
    jwks: { keys },
    cookies: { keys: cookieKeys },
    findAccount,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username', 'nickname', 'picture', 'locale', 'updated_at'],
      roles: ['roles'],
      groups: ['groups'],
      ...(config.claims ?? {}),
    },
    scopes: ['openid', 'offline_access', ...(config.scopes ?? [])],
    conformIdTokenClaims: config.conformIdTokenClaims ?? false,
    // Keycloak-style: copy some account claims (e.g. realm_access) into JWT access tokens.
    async extraTokenClaims(_ctx, token) {
      if (!config.accessTokenClaims?.length || token.kind !== 'AccessToken') return undefined;
      const claims = accounts.get(token.accountId)?.claims ?? {};
      return Object.fromEntries(config.accessTokenClaims.filter((name) => name in claims).map((name) => [name, claims[name]]));
    },
    // oidc-provider refuses outgoing requests to special-use addresses (SSRF protection); the
    // relying party under test listens on loopback, so back-channel logout posts go there plainly.
    fetch: (url, { dispatcher: _dispatcher, ...options }) => globalThis.fetch(url, options),
    extraParams: ['audience'],
    pkce: { required: () => config.pkceRequired ?? true },
    issueRefreshToken: refreshTokenPolicy(),
    rotateRefreshToken: () => config.rotateRefreshToken ?? false,
    ttl: {
      AccessToken: ttl(config.accessTokenTtl, 3600),
      IdToken: ttl(config.idTokenTtl, 3600),
      RefreshToken: ttl(config.refreshTokenTtl, 86400),
      AuthorizationCode: ttl(config.authorizationCodeTtl, 60),
      Interaction: 600,
      Session: 86400,
      Grant: 86400,
    },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      revocation: { enabled: true },
      // Back-Channel Logout 1.0: on end-session the provider posts a logout token to each
      // client's backchannel_logout_uri (ID tokens then carry `sid`).
      backchannelLogout: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: resourceIndicators(),
    },
  });
  provider.on('server_error', (_ctx, err) => console.error('server_error', err));
  provider.on('backchannel.error', (_ctx, err, client) => console.error('backchannel.error', client.clientId, err.message, String(err.cause)));
  // Entra-style on-behalf-of: the jwt-bearer grant exchanges a user's access token for another.
  provider.registerGrantType(JWT_BEARER, onBehalfOfGrant, ['assertion', 'scope', 'requested_token_use']);
  return provider;
}

// oidc-provider validates static client metadata lazily, on first use; surface mistakes
// in the test's configuration right away instead of as an opaque 400 mid-flow.
async function validateClients(provider, clients) {
  for (const { client_id: id } of clients) {
    try {
      await provider.Client.find(id);
    } catch (err) {
      throw new Error(`client ${id}: ${err.error_description ?? err.message}`);
    }
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// devInteractions accept any login/password; we vet them first so tests can exercise
// rejected logins. The consumed body is handed on as req.body, which oidc-provider reads
// when the stream is already drained.
async function vetLogin(req, res) {
  const raw = await readBody(req);
  const form = new URLSearchParams(raw);
  if (form.get('prompt') === 'login') {
    const account = accounts.get(form.get('login') ?? '');
    const expected = account?.password ?? defaultPassword;
    if (!account || form.get('password') !== expected) {
      res.writeHead(401, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><p class="error">Invalid login or password</p>');
      return false;
    }
  }
  req.body = raw;
  return true;
}

const server = createServer();
let handler = () => {};

// Faults a test can switch on: { jwks: 503, token: 503 | 'invalid_grant', tamper: <mode> }.
let faults = {};
const stats = {};

function b64(json) {
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

function signJwt(header, payload, jwk) {
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = sign('sha256', Buffer.from(input), createPrivateKey({ key: jwk, format: 'jwk' }));
  return `${input}.${signature.toString('base64url')}`;
}

// Rewrites an ID token the way a hostile or broken provider would (security cases JW-*, OC-04, CS-*).
function tamperIdToken(token, mode) {
  const [h, p, sig] = token.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  const key = keys.find((k) => k.kid === header.kid) ?? keys[0];
  const now = Math.floor(Date.now() / 1000);
  switch (mode) {
    case 'bad-signature': {
      const bytes = Buffer.from(sig, 'base64url');
      bytes[10] ^= 0xff;
      return `${h}.${p}.${bytes.toString('base64url')}`;
    }
    case 'wrong-iss':
      return signJwt(header, { ...payload, iss: 'http://127.0.0.1:1/evil' }, key);
    case 'wrong-aud':
      return signJwt(header, { ...payload, aud: 'another-client' }, key);
    case 'extra-aud-no-azp':
      return signJwt(header, { ...payload, aud: [payload.aud, 'another-client'], azp: undefined }, key);
    case 'no-nonce': {
      const { nonce: _nonce, ...rest } = payload;
      return signJwt(header, rest, key);
    }
    case 'wrong-nonce':
      return signJwt(header, { ...payload, nonce: 'not-the-nonce' }, key);
    case 'expired':
      return signJwt(header, { ...payload, iat: now - 7200, exp: now - 3600 }, key);
    case 'future-iat':
      return signJwt(header, { ...payload, iat: now + 3600, exp: now + 7200 }, key);
    case 'no-iat': {
      const { iat: _iat, ...rest } = payload;
      return signJwt(header, rest, key);
    }
    case 'alg-none':
      return `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`;
    case 'hs256-with-public-key': {
      const pem = createPublicKey({ key, format: 'jwk' }).export({ format: 'pem', type: 'spki' });
      const input = `${b64({ alg: 'HS256', kid: header.kid })}.${p}`;
      return `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    }
    case 'unknown-kid': {
      const stranger = generateSigningKey();
      return signJwt({ ...header, kid: stranger.kid }, payload, stranger);
    }
    case 'other-sub':
      return signJwt(header, { ...payload, sub: 'mallory' }, key);
    default:
      return token;
  }
}

// Buffers a JSON response body so it can be rewritten before it leaves.
function rewriteJson(res, rewrite) {
  const end = res.end.bind(res);
  res.end = (chunk, ...rest) => {
    try {
      const body = JSON.parse(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk ?? ''));
      const text = JSON.stringify(rewrite(body));
      if (!res.headersSent) res.setHeader('content-length', Buffer.byteLength(text));
      return end(text, ...rest.filter((r) => typeof r === 'function'));
    } catch {
      return end(chunk, ...rest);
    }
  };
}

function faultResponse(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function applyFaults(req, res) {
  const path = (req.url ?? '').split('?')[0];
  stats[path] = (stats[path] ?? 0) + 1;
  if (path === '/jwks' && faults.jwks) return (faultResponse(res, faults.jwks, { error: 'server_error' }), true);
  if (path === '/token' && req.method === 'POST') {
    const raw = await readBody(req);
    req.body = raw;
    const grant = new URLSearchParams(raw).get('grant_type');
    stats[`/token:${grant}`] = (stats[`/token:${grant}`] ?? 0) + 1;
    const fault = grant === 'refresh_token' ? faults.refresh : faults.token;
    if (fault === 'invalid_grant') return (faultResponse(res, 400, { error: 'invalid_grant', error_description: 'grant request is invalid' }), true);
    if (typeof fault === 'number') return (faultResponse(res, fault, { error: 'server_error' }), true);
    if (faults.tamper && grant === (faults.tamperGrant ?? 'authorization_code')) {
      rewriteJson(res, (body) => (body.id_token ? { ...body, id_token: tamperIdToken(body.id_token, faults.tamper) } : body));
    }
    if (faults.dropRefreshToken) rewriteJson(res, ({ refresh_token: _r, ...body }) => body);
  }
  if (path === '/me' && faults.userinfoSub) rewriteJson(res, (body) => ({ ...body, sub: faults.userinfoSub }));
  return false;
}

server.on('request', async (req, res) => {
  if (await applyFaults(req, res)) return;
  const isInteractionPost = req.method === 'POST' && /^\/interaction\/[^/?]+(\?|$)/.test(req.url ?? '');
  if (!isInteractionPost) return handler(req, res);
  vetLogin(req, res).then(
    (proceed) => proceed && handler(req, res),
    (err) => {
      res.writeHead(500);
      res.end(String(err));
    },
  );
});

server.listen(config.port ?? 0, '127.0.0.1', async () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  // Build and validate before swapping, so a failed command leaves the old provider serving.
  const rebuild = async (next) => {
    const provider = buildProvider(issuer, next);
    await validateClients(provider, next.clients);
    ({ keys, clients } = next);
    handler = provider.callback();
  };

  const commands = {
    async ROTATE(arg) {
      const key = generateSigningKey();
      await rebuild({ clients, keys: arg === 'drop' ? [key] : [key, ...keys] });
      return `ROTATED ${key.kid}`;
    },
    async FAULT(arg) {
      faults = JSON.parse(arg || '{}');
      return 'FAULTS_SET';
    },
    async SIGN(arg) {
      const { payload, header } = JSON.parse(arg);
      return `SIGNED ${signJwt({ alg: 'RS256', kid: keys[0].kid, typ: 'logout+jwt', ...(header ?? {}) }, payload, keys[0])}`;
    },
    async CLAIMS(arg) {
      const { accountId, claims } = JSON.parse(arg);
      const account = accounts.get(accountId);
      if (!account) throw new Error(`unknown account ${accountId}`);
      account.claims = claims;
      return 'CLAIMS_SET';
    },
    async STATS() {
      return `STATS ${JSON.stringify(stats)}`;
    },
    async CLIENTS(arg) {
      await rebuild({ keys, clients: JSON.parse(arg) });
      return 'CLIENTS_UPDATED';
    },
  };

  try {
    await rebuild({ keys, clients });
  } catch (err) {
    console.error(`startup failed: ${err.message}`);
    process.exit(1);
  }
  let chain = Promise.resolve();
  createInterface({ input: process.stdin })
    .on('line', (line) => {
      const [name, ...rest] = line.trim().split(' ');
      if (!name) return;
      chain = chain.then(async () => {
        try {
          const command = commands[name];
          if (!command) throw new Error('unknown command');
          process.stdout.write(`${await command(rest.join(' '))}\n`);
        } catch (err) {
          process.stdout.write(`ERROR ${name} ${String(err?.message ?? err).replace(/\n/g, ' ')}\n`);
        }
      });
    })
    .on('close', () => {
      server.close();
      server.closeAllConnections();
      process.exit(0);
    });
  process.stdout.write(`READY ${port}\n`);
});
