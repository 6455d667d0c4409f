const WELL_KNOWN = '/.well-known/openid-configuration';

export interface IssuerLocation {
  /** Where the discovery document is fetched. */
  discoveryUrl: string;
  /** Issuer values the discovered `issuer` may equal (exact string comparison). */
  acceptedIssuers: string[];
}

/**
 * Operators write OPENID_ISSUER either as the issuer or as the full discovery URL (both forms
 * appear in the provider guides, e.g. Cognito's). Only that input is normalised (OC-07):
 * - issuer form: the discovered issuer must be exactly the configured string;
 * - discovery-URL form: OpenID Discovery §4 removes a terminating "/" from the issuer before
 *   appending the well-known path, so `X/.well-known/…` is the document of issuer `X` or `X/`;
 *   exactly those two are accepted, nothing else.
 */
export function locateIssuer(configured: string): IssuerLocation {
  const input = configured.trim();
  if (input.endsWith(WELL_KNOWN)) {
    const base = input.slice(0, -WELL_KNOWN.length);
    return { discoveryUrl: input, acceptedIssuers: [base, `${base}/`] };
  }
  return { discoveryUrl: `${input.replace(/\/$/, '')}${WELL_KNOWN}`, acceptedIssuers: [input] };
}

/** LibreChat stores `openidIssuer` without a trailing slash (docs/librechat-differences.md#openid-sign-in-and-token-reuse). */
export function storedIssuerForm(issuer: string): string {
  return issuer.trim().replace(/\/+$/, '');
}
