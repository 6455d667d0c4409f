// Child process hosting a real oidc-provider (ESM-only, hence not loadable from the
// CommonJS jest runtime). Configuration arrives as JSON in IDP_CONFIG; the parent talks
// to us over stdin/stdout lines: we print `READY <port>`, then answer commands:
//   ROTATE [drop]      -> ROTATED <kid>
//   CLIENTS <json[]>   -> CLIENTS_UPDATED
// Errors are reported as `ERROR <command> <message>`. We exit when stdin closes so a
// crashed jest worker never leaves an orphaned provider behind.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
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
      return (_ctx, client, code) =>
        client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access');
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
      introspection: { enabled: true },
      resourceIndicators: resourceIndicators(),
    },
  });
  provider.on('server_error', (_ctx, err) => console.error('server_error', err));
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

server.on('request', (req, res) => {
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

server.listen(0, '127.0.0.1', async () => {
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
