import type { IdpTokenSet } from '../storage';

/** A served token must stay valid at least this long (LibreChat's 30 s margin). */
const MIN_REMAINING_SEC = 30;

/** The payload of a JWT-shaped token without verifying it (the vault holds only verified tokens), or null. */
export function jwtPayload(token: string | null | undefined): Record<string, unknown> | null {
  if (!token || !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** LibreChat's order: the ID token first, then the access token, if it is a JWT still valid for a while. */
export function bearerCandidate(tokens: IdpTokenSet, nowMs: number, justRefreshed = false): string | null {
  const nowSec = nowMs / 1000;
  for (const token of [tokens.idToken, tokens.accessToken]) {
    const payload = jwtPayload(token);
    if (token && payload && typeof payload.exp === 'number' && payload.exp > nowSec + (justRefreshed ? 0 : MIN_REMAINING_SEC)) return token;
  }
  return null;
}
