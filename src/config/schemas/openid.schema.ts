import { z } from 'zod';
import { bool, duration, exactHttpUrl, httpUrl, int, list, oneOf, optBool, optStr, pathOrUrl, secret, str } from '../fields/env-fields';
import { problem } from './issue';

const TOKEN_KINDS = ['access', 'id', 'userinfo'] as const;
const origin = (v: string): string | null => {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
};

/** LibreChat's docs publish `USERINFRO` spellings; both are accepted, and must agree when both are set. */
const ALIASES: Array<[canonical: string, alias: string]> = [
  ['OPENID_ON_BEHALF_FLOW_FOR_USERINFO_REQUIRED', 'OPENID_ON_BEHALF_FLOW_FOR_USERINFRO_REQUIRED'],
  ['OPENID_ON_BEHALF_FLOW_USERINFO_SCOPE', 'OPENID_ON_BEHALF_FLOW_USERINFRO_SCOPE'],
];

export function applyOpenIdAliases(env: Record<string, string | undefined>, problems: string[]): Record<string, string | undefined> {
  const out = { ...env };
  for (const [canonical, alias] of ALIASES) {
    const a = env[canonical]?.trim();
    const b = env[alias]?.trim();
    if (a && b && a !== b) problems.push(`${alias}: conflicts with ${canonical} (${JSON.stringify(b)} vs ${JSON.stringify(a)}); set only one of them`);
    if (!a && b) out[canonical] = b;
  }
  return out;
}

/** The variables of one OpenID provider (named providers read them with their own prefix). */
export const openidFields = z.object({
  OPENID_CLIENT_ID: optStr(),
  OPENID_CLIENT_SECRET: secret(),
  // Not normalised here: the issuer is compared exactly with the discovered one (OC-07).
  OPENID_ISSUER: exactHttpUrl(),
  OPENID_SCOPE: str('openid profile email'),
  OPENID_CALLBACK_URL: pathOrUrl('/oauth/openid/callback'),
  OPENID_USE_PKCE: optBool(),
  OPENID_GENERATE_NONCE: optBool(),
  OPENID_AUDIENCE: list(),
  OPENID_REFRESH_AUDIENCE: optStr(),
  OPENID_CLOCK_TOLERANCE: int(30, { min: 0, max: 300 }),
  OPENID_REQUIRED_ROLE: list(),
  OPENID_REQUIRED_ROLE_TOKEN_KIND: oneOf(TOKEN_KINDS),
  OPENID_REQUIRED_ROLE_PARAMETER_PATH: optStr(),
  OPENID_ADMIN_ROLE: optStr(),
  OPENID_ADMIN_ROLE_PARAMETER_PATH: optStr(),
  OPENID_ADMIN_ROLE_TOKEN_KIND: oneOf(TOKEN_KINDS),
  OPENID_ROLE_SYNC_ENABLED: bool(false),
  OPENID_ROLE_SYNC_API_ENABLED: bool(false),
  OPENID_ROLE_SYNC_SOURCE: oneOf(TOKEN_KINDS, 'id'),
  OPENID_ROLE_SYNC_CLAIM: optStr(),
  OPENID_ROLE_SYNC_ROLE_PRIORITY: list(),
  OPENID_ROLE_SYNC_FALLBACK_ROLE: optStr(),
  OPENID_USERNAME_CLAIM: optStr(),
  OPENID_NAME_CLAIM: optStr(),
  OPENID_EMAIL_CLAIM: optStr(),
  OPENID_BUTTON_LABEL: str('Continue with OpenID'),
  OPENID_IMAGE_URL: optStr(),
  OPENID_AUTO_REDIRECT: bool(false),
  OPENID_REUSE_TOKENS: bool(false),
  OPENID_REUSE_MAX_SESSION_AGE_MS: duration(15 * 60_000),
  OPENID_JWKS_URL_CACHE_ENABLED: bool(true),
  // The docs' intent (10 minutes) rather than LibreChat's code default of 60 s (LibreChat defect D-31, docs/librechat-differences.md).
  OPENID_JWKS_URL_CACHE_TIME: duration(10 * 60_000, { min: 1_000 }),
  OPENID_JWKS_URL: httpUrl(),
  OPENID_ON_BEHALF_FLOW_FOR_USERINFO_REQUIRED: bool(false),
  OPENID_ON_BEHALF_FLOW_USERINFO_SCOPE: str('user.read'),
  OPENID_USE_END_SESSION_ENDPOINT: bool(false),
  OPENID_POST_LOGOUT_REDIRECT_URI: httpUrl(),
  OPENID_MAX_LOGOUT_URL_LENGTH: int(2000, { min: 256, max: 65536 }),
  OPENID_AVATAR_AUTHORIZED_ORIGINS: list([], { item: origin, itemForm: 'an http(s) origin' }),
  OPENID_GRAPH_SCOPES: list(['User.Read', 'People.Read', 'Group.Read.All']),
  GRAPH_API_SCOPES: list(['https://graph.microsoft.com/.default']),
  OPENID_GRAPH_URL: httpUrl(),
  DEBUG_OPENID_REQUESTS: bool(false),
  PROXY: httpUrl(),
  NO_PROXY: list(),
});

export const openidSchema = openidFields
  .superRefine((v, ctx) => {
    const enabled = v.OPENID_CLIENT_ID !== undefined;
    if (v.OPENID_REUSE_TOKENS && !enabled)
      problem(ctx, 'OPENID_REUSE_TOKENS', 'is true but OPENID_CLIENT_ID is not set; token reuse needs a configured OpenID client');
    if (enabled) {
      if (!v.OPENID_ISSUER) problem(ctx, 'OPENID_ISSUER', 'is required when OPENID_CLIENT_ID is set; expected the issuer URL, e.g. https://tenant.auth0.com/');
      if (!v.OPENID_CLIENT_SECRET && v.OPENID_USE_PKCE !== true) {
        problem(ctx, 'OPENID_CLIENT_SECRET', 'is required when OPENID_CLIENT_ID is set, unless OPENID_USE_PKCE=true (public client)');
      }
    }
    if (v.OPENID_REQUIRED_ROLE.length > 0) {
      if (!v.OPENID_REQUIRED_ROLE_PARAMETER_PATH)
        problem(
          ctx,
          'OPENID_REQUIRED_ROLE_PARAMETER_PATH',
          'is required when OPENID_REQUIRED_ROLE is set; expected a claim path such as roles or realm_access.roles',
        );
      if (!v.OPENID_REQUIRED_ROLE_TOKEN_KIND)
        problem(ctx, 'OPENID_REQUIRED_ROLE_TOKEN_KIND', `is required when OPENID_REQUIRED_ROLE is set; expected one of: ${TOKEN_KINDS.join(', ')}`);
    }
    const admin = [v.OPENID_ADMIN_ROLE, v.OPENID_ADMIN_ROLE_PARAMETER_PATH, v.OPENID_ADMIN_ROLE_TOKEN_KIND];
    if (admin.some((x) => x !== undefined) && admin.some((x) => x === undefined)) {
      const names = ['OPENID_ADMIN_ROLE', 'OPENID_ADMIN_ROLE_PARAMETER_PATH', 'OPENID_ADMIN_ROLE_TOKEN_KIND'];
      admin.forEach(
        (x, i) =>
          x === undefined &&
          problem(
            ctx,
            names[i],
            'is required: the admin role mapping needs OPENID_ADMIN_ROLE, OPENID_ADMIN_ROLE_PARAMETER_PATH and OPENID_ADMIN_ROLE_TOKEN_KIND together',
          ),
      );
    }
    if (v.OPENID_ROLE_SYNC_API_ENABLED && !v.OPENID_ROLE_SYNC_ENABLED)
      problem(ctx, 'OPENID_ROLE_SYNC_API_ENABLED', 'is true but OPENID_ROLE_SYNC_ENABLED is not');
    if (v.OPENID_ROLE_SYNC_ENABLED && !v.OPENID_ROLE_SYNC_CLAIM) problem(ctx, 'OPENID_ROLE_SYNC_CLAIM', 'is required when OPENID_ROLE_SYNC_ENABLED is true');
    if (v.OPENID_ROLE_SYNC_FALLBACK_ROLE?.toUpperCase() === 'ADMIN') {
      problem(ctx, 'OPENID_ROLE_SYNC_FALLBACK_ROLE', 'must not be ADMIN; use OPENID_ADMIN_ROLE for administrators');
    }
    if (v.OPENID_ROLE_SYNC_ROLE_PRIORITY.some((r) => r.toUpperCase() === 'ADMIN')) {
      problem(ctx, 'OPENID_ROLE_SYNC_ROLE_PRIORITY', 'must not grant ADMIN; use OPENID_ADMIN_ROLE for administrators');
    }
    if (v.NO_PROXY.length > 0 && !v.PROXY) problem(ctx, 'NO_PROXY', 'is set but PROXY is not; NO_PROXY only lists exceptions to PROXY');
    if (v.OPENID_ROLE_SYNC_API_ENABLED && v.OPENID_ROLE_SYNC_SOURCE === 'userinfo') {
      problem(
        ctx,
        'OPENID_ROLE_SYNC_API_ENABLED',
        'cannot read OPENID_ROLE_SYNC_SOURCE=userinfo: a bearer request carries a token, not a UserInfo answer; use id or access',
      );
    }
    // A nonce is always sent and checked (a replayed ID token is refused); `true` asks for exactly that,
    // `false` would ask for less, and is refused rather than accepted and ignored (issue 18 item 11).
    if (v.OPENID_GENERATE_NONCE === false)
      problem(ctx, 'OPENID_GENERATE_NONCE', 'false is not supported: Gatehouse always sends and checks a nonce; remove the variable or set it to true');
  })
  .transform((v) => ({
    enabled: v.OPENID_CLIENT_ID !== undefined,
    clientId: v.OPENID_CLIENT_ID ?? null,
    clientSecret: v.OPENID_CLIENT_SECRET ?? null,
    issuer: v.OPENID_ISSUER ?? null,
    scope: v.OPENID_SCOPE,
    callbackUrl: v.OPENID_CALLBACK_URL,
    usePkce: v.OPENID_USE_PKCE,
    audiences: v.OPENID_AUDIENCE,
    refreshAudience: v.OPENID_REFRESH_AUDIENCE ?? null,
    clockToleranceSec: v.OPENID_CLOCK_TOLERANCE,
    requiredRoles: v.OPENID_REQUIRED_ROLE,
    requiredRoleTokenKind: v.OPENID_REQUIRED_ROLE_TOKEN_KIND ?? null,
    requiredRolePath: v.OPENID_REQUIRED_ROLE_PARAMETER_PATH ?? null,
    adminRole: v.OPENID_ADMIN_ROLE
      ? { role: v.OPENID_ADMIN_ROLE, path: v.OPENID_ADMIN_ROLE_PARAMETER_PATH ?? '', tokenKind: v.OPENID_ADMIN_ROLE_TOKEN_KIND ?? 'id' }
      : null,
    roleSync: {
      enabled: v.OPENID_ROLE_SYNC_ENABLED,
      apiEnabled: v.OPENID_ROLE_SYNC_API_ENABLED,
      source: v.OPENID_ROLE_SYNC_SOURCE,
      claim: v.OPENID_ROLE_SYNC_CLAIM ?? null,
      priority: v.OPENID_ROLE_SYNC_ROLE_PRIORITY,
      fallbackRole: v.OPENID_ROLE_SYNC_FALLBACK_ROLE ?? null,
    },
    claims: { username: v.OPENID_USERNAME_CLAIM ?? null, name: v.OPENID_NAME_CLAIM ?? null, email: v.OPENID_EMAIL_CLAIM ?? null },
    buttonLabel: v.OPENID_BUTTON_LABEL,
    imageUrl: v.OPENID_IMAGE_URL ?? null,
    autoRedirect: v.OPENID_AUTO_REDIRECT,
    reuseTokens: v.OPENID_REUSE_TOKENS,
    reuseMaxSessionAgeMs: v.OPENID_REUSE_MAX_SESSION_AGE_MS,
    jwksCacheEnabled: v.OPENID_JWKS_URL_CACHE_ENABLED,
    jwksCacheTimeMs: v.OPENID_JWKS_URL_CACHE_TIME,
    jwksUrl: v.OPENID_JWKS_URL ?? null,
    onBehalfFlowForUserinfo: v.OPENID_ON_BEHALF_FLOW_FOR_USERINFO_REQUIRED,
    onBehalfFlowUserinfoScope: v.OPENID_ON_BEHALF_FLOW_USERINFO_SCOPE,
    useEndSessionEndpoint: v.OPENID_USE_END_SESSION_ENDPOINT,
    postLogoutRedirectUri: v.OPENID_POST_LOGOUT_REDIRECT_URI ?? null,
    maxLogoutUrlLength: v.OPENID_MAX_LOGOUT_URL_LENGTH,
    avatarAuthorizedOrigins: v.OPENID_AVATAR_AUTHORIZED_ORIGINS,
    graphScopes: v.OPENID_GRAPH_SCOPES,
    graphApiScopes: v.GRAPH_API_SCOPES,
    /** Microsoft Graph's base address (group overage lookups). */
    graphUrl: v.OPENID_GRAPH_URL ?? 'https://graph.microsoft.com',
    debugRequests: v.DEBUG_OPENID_REQUESTS,
    proxy: v.PROXY ?? null,
    /** Hosts (`example.com`, `.example.com`, `host:port`, `*`) reached without PROXY. */
    noProxy: v.NO_PROXY,
  }));

export type OpenIdSettings = z.output<typeof openidSchema>;
