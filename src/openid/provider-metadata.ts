/** The parts of an OpenID Provider's discovery document Gatehouse uses, validated. */
export interface ProviderMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string | null;
  jwksUri: string;
  endSessionEndpoint: string | null;
  /** RFC 7009; used to revoke the IdP refresh token at logout. */
  revocationEndpoint: string | null;
  /** Asymmetric algorithms only: `none` and HMAC never verify an IdP token (JW-01, JW-02, CS-07). */
  idTokenAlgorithms: string[];
  tokenEndpointAuthMethods: string[];
  codeChallengeMethods: string[];
  /** RFC 9207: the authorization response must carry `iss` (OC-05). */
  authorizationResponseIssRequired: boolean;
}

export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;

export function parseMetadata(doc: Record<string, unknown>, acceptedIssuers: string[]): ProviderMetadata {
  const str = (key: string): string | null => (typeof doc[key] === 'string' && doc[key] !== '' ? (doc[key] as string) : null);
  const list = (key: string): string[] | null => (Array.isArray(doc[key]) ? (doc[key] as unknown[]).filter((v): v is string => typeof v === 'string') : null);
  const require = (key: string): string => {
    const value = str(key);
    if (!value) throw new Error(`the discovery document has no ${key}`);
    return value;
  };
  const issuer = require('issuer');
  if (!acceptedIssuers.includes(issuer) && !acceptedIssuers.some((accepted) => isTenantTemplateOf(issuer, accepted))) {
    // Exact comparison (OC-07, CS-12): name both values so the operator can fix OPENID_ISSUER.
    throw new Error(
      `the discovered issuer ${JSON.stringify(issuer)} does not match OPENID_ISSUER ${JSON.stringify(acceptedIssuers[0])}; set OPENID_ISSUER to exactly the issuer the provider publishes`,
    );
  }
  // OpenID Discovery §3: absent means RS256.
  const advertised = list('id_token_signing_alg_values_supported') ?? ['RS256'];
  const idTokenAlgorithms = advertised.filter((alg) => (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg));
  if (idTokenAlgorithms.length === 0)
    throw new Error(`the provider signs ID tokens only with ${advertised.join(', ')}; Gatehouse accepts ${ASYMMETRIC_ALGORITHMS.join(', ')}`);
  return {
    issuer,
    authorizationEndpoint: require('authorization_endpoint'),
    tokenEndpoint: require('token_endpoint'),
    userinfoEndpoint: str('userinfo_endpoint'),
    jwksUri: require('jwks_uri'),
    endSessionEndpoint: str('end_session_endpoint'),
    revocationEndpoint: str('revocation_endpoint'),
    idTokenAlgorithms,
    // RFC 8414 §2: absent means client_secret_basic.
    tokenEndpointAuthMethods: list('token_endpoint_auth_methods_supported') ?? ['client_secret_basic'],
    codeChallengeMethods: list('code_challenge_methods_supported') ?? [],
    authorizationResponseIssRequired: doc.authorization_response_iss_parameter_supported === true,
  };
}

export const TENANT_PLACEHOLDER = '{tenantid}';

/**
 * Entra ID's multi-tenant endpoints (`…/common/v2.0`, `…/organizations/v2.0`) publish the issuer
 * template `…/{tenantid}/v2.0`. It is accepted as the discovered issuer of such a configured
 * URL when they differ in exactly that one path segment (JW-09).
 */
export function isTenantTemplateOf(discovered: string, configured: string): boolean {
  if (!discovered.includes(TENANT_PLACEHOLDER)) return false;
  const a = discovered.split('/');
  const b = configured.split('/');
  if (a.length !== b.length) return false;
  let replaced = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] !== TENANT_PLACEHOLDER) return false;
    replaced += 1;
  }
  return replaced === 1;
}

/**
 * The issuer a token must carry: the discovered one, or for an Entra template that template
 * filled with the token's `tid` (a plain identifier only), compared exactly afterwards (JW-09).
 */
export function expectedIssuer(issuer: string, tid: unknown): string | null {
  if (!issuer.includes(TENANT_PLACEHOLDER)) return issuer;
  return typeof tid === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(tid) ? issuer.replace(TENANT_PLACEHOLDER, tid) : null;
}
