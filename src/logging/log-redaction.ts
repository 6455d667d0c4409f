/** Secrets never reach the logs (LG-02): headers, cookies and any token- or password-like field. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.confirm_password',
  '*.token',
  '*.refreshToken',
  '*.accessToken',
  '*.idToken',
  '*.access_token',
  '*.refresh_token',
  '*.id_token',
  '*.client_secret',
  '*.code_verifier',
  // The second factor (two-factor/): temp tokens, backup codes, secrets.
  '*.tempToken',
  '*.backupCode',
  '*.backupCodes',
  '*.totpSecret',
];

// SAMLResponse: a SAML assertion is a bearer credential until it expires.
const SENSITIVE_QUERY = /^(token|code|state|id_token_hint|access_token|refresh_token|code_verifier|SAMLResponse)$/i;

/** Query values such as OAuth codes and reset tokens are masked in the logged URL. */
export function maskUrl(url: string | undefined): string | undefined {
  if (!url || !url.includes('?')) return url;
  const [pathPart, query] = url.split('?', 2);
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) if (SENSITIVE_QUERY.test(key)) params.set(key, '[Redacted]');
  return `${pathPart}?${params.toString()}`;
}
