import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configOf, problemsOf } from '../../test/support/config-results';
import { loadConfig, type Env } from './load-config';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-config-'));
const strong = (c: string) => c.repeat(64);
const prodSecrets = { JWT_SECRET: strong('a'), JWT_REFRESH_SECRET: strong('b'), CREDS_KEY: strong('c') };

const load = (env: Env) => loadConfig({ DATA_DIR: tmp(), ...env });

describe('loadConfig', () => {
  it('boots on an empty development environment with documented defaults', () => {
    const config = configOf(load({}));
    expect(config.server).toMatchObject({
      port: 3080,
      host: '127.0.0.1',
      domainServer: 'http://localhost:3080',
      trustProxy: ['loopback', 'linklocal', 'uniquelocal'],
      ipv6SubnetPrefix: 56,
    });
    expect(config.session).toMatchObject({ accessTokenTtlMs: 900_000, refreshTokenTtlMs: 604_800_000, cookieSecure: false });
    expect(config.registration).toMatchObject({ allowEmailLogin: true, allowRegistration: false, minPasswordLength: 8 });
    expect(config.storage.kind).toBe('sqlite');
    expect(config.social.google).toBeNull();
    expect(config.openid.enabled).toBe(false);
  });

  it('generates development JWT secrets once and keeps them in DATA_DIR', () => {
    const dataDir = tmp();
    const first = configOf(loadConfig({ DATA_DIR: dataDir }));
    const second = configOf(loadConfig({ DATA_DIR: dataDir }));
    expect(first.secrets.jwtSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(first.secrets.jwtSecret).not.toBe(first.secrets.jwtRefreshSecret);
    expect(second.secrets).toEqual(first.secrets);
    expect(fs.statSync(path.join(dataDir, 'dev-secrets.json')).mode & 0o077).toBe(0);
    expect(first.warnings.join('\n')).toMatch(/JWT_SECRET, JWT_REFRESH_SECRET, CREDS_KEY not set/);
  });

  it('names every bad variable at once (the production example from the run contract)', () => {
    const problems = problemsOf(load({ OPENID_ISSUER: 'notaurl', EMAIL_PORT: 'abc', NODE_ENV: 'production' }));
    const named = problems.map((p) => p.split(':')[0]);
    expect(named).toEqual(expect.arrayContaining(['OPENID_ISSUER', 'EMAIL_PORT', 'JWT_SECRET', 'JWT_REFRESH_SECRET']));
    expect(problems).toContain('OPENID_ISSUER: "notaurl" is not an absolute http(s) URL; expected e.g. https://example.com');
    expect(problems.find((p) => p.startsWith('EMAIL_PORT'))).toMatch(/"abc" is not a TCP port/);
  });

  it('accepts LibreChat duration expressions and rejects anything else', () => {
    expect(configOf(load({ SESSION_EXPIRY: '1000 * 60 * 5' })).session.accessTokenTtlMs).toBe(300_000);
    expect(problemsOf(load({ SESSION_EXPIRY: 'process.exit(1)' }))[0]).toMatch(/^SESSION_EXPIRY: .*arithmetic expression/);
    expect(problemsOf(load({ SESSION_EXPIRY: '1000 * 60 * 60 * 24 * 30' }))[0]).toMatch(/^SESSION_EXPIRY: .*shorter than REFRESH_TOKEN_EXPIRY/);
  });

  it('rejects booleans that are not true/false instead of reading them as false', () => {
    expect(problemsOf(load({ ALLOW_REGISTRATION: 'yes' }))).toEqual(['ALLOW_REGISTRATION: "yes" is not a boolean; expected true or false']);
    expect(configOf(load({ ALLOW_REGISTRATION: ' TRUE ' })).registration.allowRegistration).toBe(true);
  });

  it('treats blank values as unset', () => {
    expect(configOf(load({ OPENID_CLIENT_ID: '', GOOGLE_CLIENT_ID: '  ' })).openid.enabled).toBe(false);
  });

  it('applies cross-field rules', () => {
    expect(problemsOf(load({ EMAIL_USERNAME: 'u' }))).toContain('EMAIL_PASSWORD: is required when EMAIL_USERNAME is set (SMTP AUTH needs both)');
    expect(problemsOf(load({ EMAIL_HOST: 'smtp.example.com' }))[0]).toMatch(/^EMAIL_FROM: is required when a mail transport/);
    expect(problemsOf(load({ OPENID_REUSE_TOKENS: 'true' }))[0]).toMatch(/^OPENID_REUSE_TOKENS: is true but OPENID_CLIENT_ID is not set/);
    expect(problemsOf(load({ GITHUB_CLIENT_ID: 'id' }))).toContain(
      'GITHUB_CLIENT_SECRET: is required when GITHUB_CLIENT_ID is set (the github provider needs both)',
    );
    const openid = problemsOf(load({ OPENID_CLIENT_ID: 'client' }));
    expect(openid.map((p) => p.split(':')[0]).sort()).toEqual(['OPENID_CLIENT_SECRET', 'OPENID_ISSUER']);
    expect(
      problemsOf(load({ OPENID_ADMIN_ROLE: 'admin' }))
        .map((p) => p.split(':')[0])
        .sort(),
    ).toEqual(['OPENID_ADMIN_ROLE_PARAMETER_PATH', 'OPENID_ADMIN_ROLE_TOKEN_KIND']);
    expect(problemsOf(load({ USE_REDIS: 'true' }))[0]).toMatch(/^REDIS_URI: is required/);
  });

  it('configures providers with default callback paths', () => {
    const config = configOf(
      load({
        GOOGLE_CLIENT_ID: 'gid',
        GOOGLE_CLIENT_SECRET: 'gsecret',
        GITHUB_CLIENT_ID: 'h',
        GITHUB_CLIENT_SECRET: 's',
        GITHUB_ENTERPRISE_BASE_URL: 'https://git.example.com/',
      }),
    );
    expect(config.social.google).toEqual({ clientId: 'gid', clientSecret: 'gsecret', callbackUrl: '/oauth/google/callback', baseUrl: null });
    expect(config.social.github?.enterpriseBaseUrl).toBe('https://git.example.com');
    expect(problemsOf(load({ DISCORD_CALLBACK_URL: 'callback' }))[0]).toMatch(/^DISCORD_CALLBACK_URL: "callback" is neither a path/);
  });

  it('accepts the USERINFRO spellings as aliases and refuses conflicting pairs', () => {
    const env = { OPENID_CLIENT_ID: 'c', OPENID_CLIENT_SECRET: 's', OPENID_ISSUER: 'https://idp.example.com' };
    const config = configOf(load({ ...env, OPENID_ON_BEHALF_FLOW_FOR_USERINFRO_REQUIRED: 'true', OPENID_ON_BEHALF_FLOW_USERINFRO_SCOPE: 'api.read' }));
    expect(config.openid.onBehalfFlowForUserinfo).toBe(true);
    expect(config.openid.onBehalfFlowUserinfoScope).toBe('api.read');
    const problems = problemsOf(load({ ...env, OPENID_ON_BEHALF_FLOW_USERINFO_SCOPE: 'a', OPENID_ON_BEHALF_FLOW_USERINFRO_SCOPE: 'b' }));
    expect(problems[0]).toMatch(/^OPENID_ON_BEHALF_FLOW_USERINFRO_SCOPE: conflicts with OPENID_ON_BEHALF_FLOW_USERINFO_SCOPE/);
  });

  it('refuses placeholder, weak and shared secrets in production without echoing them', () => {
    const problems = problemsOf(load({ NODE_ENV: 'production', JWT_SECRET: 'change-me-jwt-secret', JWT_REFRESH_SECRET: 'short', CREDS_KEY: strong('c') }));
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^JWT_SECRET: is a placeholder/), expect.stringMatching(/^JWT_REFRESH_SECRET: is too short/)]),
    );
    expect(problems.join('\n')).not.toContain('change-me-jwt-secret');
    const same = problemsOf(load({ NODE_ENV: 'production', JWT_SECRET: strong('a'), JWT_REFRESH_SECRET: strong('a'), CREDS_KEY: strong('c') }));
    expect(same).toEqual([expect.stringMatching(/^JWT_REFRESH_SECRET: must differ from JWT_SECRET/)]);
    expect(problemsOf(load({ NODE_ENV: 'production', ...prodSecrets, CREDS_KEY: 'xyz' }))).toEqual([
      'CREDS_KEY: the value is not 64 hexadecimal characters (32 bytes)',
    ]);
  });

  it('uses Secure cookies in production except for a local DOMAIN_SERVER, and warns on plain http (SE-11)', () => {
    expect(configOf(load({ NODE_ENV: 'production', ...prodSecrets })).session.cookieSecure).toBe(false);
    const remote = configOf(load({ NODE_ENV: 'production', ...prodSecrets, DOMAIN_SERVER: 'http://auth.example.com' }));
    expect(remote.session.cookieSecure).toBe(true);
    expect(remote.warnings.join('\n')).toMatch(/SESSION_COOKIE_SECURE: .*plain http/);
    expect(configOf(load({ SESSION_COOKIE_SECURE: 'true' })).session.cookieSecure).toBe(true);
  });

  it('inherits submission limits from their request limiter', () => {
    const config = configOf(load({ RESET_PASSWORD_MAX: '4', RESET_PASSWORD_WINDOW: '10' }));
    expect(config.moderation.limits.resetPasswordSubmission).toEqual({ max: 4, windowMs: 600_000 });
    expect(config.moderation.limits.login).toEqual({ max: 7, windowMs: 300_000 });
    expect(problemsOf(load({ LOGIN_MAX: '0' }))[0]).toMatch(/^LOGIN_MAX: .*out of range/);
  });

  it('selects MongoDB when MONGO_URI is set and validates connection strings', () => {
    expect(configOf(load({ MONGO_URI: 'mongodb://127.0.0.1:27017/LibreChat' })).storage.kind).toBe('mongo');
    expect(problemsOf(load({ MONGO_URI: 'postgres://x' }))[0]).toBe(
      'MONGO_URI: the value is not a valid connection string; expected it to start with mongodb:// or mongodb+srv://',
    );
  });

  it('checks that CONFIG_PATH is a readable file', () => {
    expect(problemsOf(load({ CONFIG_PATH: '/nonexistent/librechat.yaml' }))[0]).toMatch(/^CONFIG_PATH: .*not a readable file/);
  });
});

describe('loadConfig details', () => {
  it('does not write development secrets when the boot fails for another reason', () => {
    const dataDir = tmp();
    problemsOf(loadConfig({ DATA_DIR: dataDir, LOGIN_MAX: 'x' }));
    expect(fs.existsSync(path.join(dataDir, 'dev-secrets.json'))).toBe(false);
  });

  it('reads NODE_ENV case-insensitively so a typo in case cannot downgrade production', () => {
    expect(problemsOf(load({ NODE_ENV: 'Production' })).map((p) => p.split(':')[0])).toEqual(['JWT_SECRET', 'JWT_REFRESH_SECRET', 'CREDS_KEY']);
  });

  it('uses Redis only when USE_REDIS=true, and says so when REDIS_URI alone is set', () => {
    const config = configOf(load({ REDIS_URI: 'redis://127.0.0.1:6379' }));
    expect(config.storage.redisUri).toBeNull();
    expect(config.warnings.join('\n')).toMatch(/USE_REDIS: REDIS_URI is set but USE_REDIS is not true/);
    expect(configOf(load({ USE_REDIS: 'true', REDIS_URI: 'redis://127.0.0.1:6379' })).storage.redisUri).toBe('redis://127.0.0.1:6379');
  });

  it('applies LibreChat fallbacks for the mail sender name and the post-logout redirect', () => {
    const config = configOf(load({ APP_TITLE: 'Acme Chat', DOMAIN_CLIENT: 'https://chat.example.com' }));
    expect(config.mail.fromName).toBe('Acme Chat');
    expect(config.openid.postLogoutRedirectUri).toBe('https://chat.example.com/login');
  });

  it('OPENID_AVATAR_AUTHORIZED_ORIGINS takes http(s) origins (avatar import) and refuses anything else by name', () => {
    expect(configOf(load({ OPENID_AVATAR_AUTHORIZED_ORIGINS: 'https://cdn.example.com' })).openid.avatarAuthorizedOrigins).toEqual(['https://cdn.example.com']);
    expect(configOf(load({})).openid.avatarAuthorizedOrigins).toEqual([]);
    expect(problemsOf(load({ OPENID_AVATAR_AUTHORIZED_ORIGINS: 'ftp://cdn.example.com' }))[0]).toMatch(/^OPENID_AVATAR_AUTHORIZED_ORIGINS:/);
  });

  it('GRAPH_API_SCOPES, OPENID_GRAPH_SCOPES and OPENID_GRAPH_URL are accepted (template Graph token, group overage lookups)', () => {
    const openid = configOf(
      load({ GRAPH_API_SCOPES: 'api://x/.default, Sites.Read.All', OPENID_GRAPH_SCOPES: 'User.Read', OPENID_GRAPH_URL: 'http://127.0.0.1:9999' }),
    ).openid;
    expect(openid.graphApiScopes).toEqual(['api://x/.default', 'Sites.Read.All']);
    expect(openid.graphScopes).toEqual(['User.Read']);
    expect(openid.graphUrl).toBe('http://127.0.0.1:9999');
    expect(configOf(load({})).openid.graphUrl).toBe('https://graph.microsoft.com');
    expect(problemsOf(load({ OPENID_GRAPH_URL: 'not a url' }))[0]).toMatch(/^OPENID_GRAPH_URL:/);
  });

  it('PROXY and NO_PROXY are parsed for every provider call; NO_PROXY needs PROXY', () => {
    const proxied = configOf(
      load({ PROXY: 'http://proxy.local:3128', NO_PROXY: 'idp.internal, .corp.example', GITHUB_CLIENT_ID: 'a', GITHUB_CLIENT_SECRET: 'b' }),
    );
    expect(proxied.openid).toMatchObject({ proxy: 'http://proxy.local:3128', noProxy: ['idp.internal', '.corp.example'] });
    expect(problemsOf(load({ NO_PROXY: 'idp.internal' })).map((p) => p.split(':')[0])).toEqual(['NO_PROXY']);
  });

  it('refuses API role sync from UserInfo (a bearer request has no UserInfo answer)', () => {
    const env = { OPENID_ROLE_SYNC_ENABLED: 'true', OPENID_ROLE_SYNC_API_ENABLED: 'true', OPENID_ROLE_SYNC_CLAIM: 'roles' };
    expect(problemsOf(load({ ...env, OPENID_ROLE_SYNC_SOURCE: 'userinfo' })).map((p) => p.split(':')[0])).toEqual(['OPENID_ROLE_SYNC_API_ENABLED']);
    expect(configOf(load({ ...env, OPENID_ROLE_SYNC_SOURCE: 'access' })).openid.roleSync.apiEnabled).toBe(true);
  });

  it('names the variable that grants ADMIN through role sync', () => {
    expect(problemsOf(load({ OPENID_ROLE_SYNC_FALLBACK_ROLE: 'admin' }))).toEqual([
      'OPENID_ROLE_SYNC_FALLBACK_ROLE: must not be ADMIN; use OPENID_ADMIN_ROLE for administrators',
    ]);
  });

  it('OPENID_GENERATE_NONCE: true is accepted (a nonce is always sent), false is refused rather than ignored', () => {
    expect(configOf(load({ OPENID_GENERATE_NONCE: 'true' })).openid.enabled).toBe(false);
    expect(problemsOf(load({ OPENID_GENERATE_NONCE: 'false' }))).toEqual([
      'OPENID_GENERATE_NONCE: false is not supported: Gatehouse always sends and checks a nonce; remove the variable or set it to true',
    ]);
  });
});
