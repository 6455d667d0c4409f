import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';

/** RFC 7636 S256 pair. */
export function createPkcePair(): { verifier: string; challenge: string; method: 'S256' } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge, method: 'S256' };
}

export function randomToken(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

export interface DecodedJwt {
  header: Record<string, unknown> & { alg?: string; kid?: string; typ?: string };
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

/** A compact JWS has exactly three base64url segments; oidc-provider's opaque tokens have none of the dots. */
export function isJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}

export function decodeJwt(token: string): DecodedJwt {
  if (!isJwt(token)) throw new Error('not a compact JWS');
  const [header, payload, signature] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

/**
 * Verifies an RS256 JWS against a JWKS fetched from `jwksUri` and returns the payload.
 * Deliberately independent of any JOSE library so it can check the code under test.
 */
export async function verifyRs256(token: string, jwksUri: string): Promise<DecodedJwt> {
  const decoded = decodeJwt(token);
  if (decoded.header.alg !== 'RS256') throw new Error(`unexpected alg ${decoded.header.alg}`);
  const response = await fetch(jwksUri);
  const { keys } = (await response.json()) as { keys: Array<JsonWebKey & { kid?: string }> };
  const jwk = keys.find((k) => k.kid === decoded.header.kid);
  if (!jwk) throw new Error(`kid ${decoded.header.kid} not in JWKS`);
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  if (!verify('sha256', Buffer.from(decoded.signingInput), key, decoded.signature)) {
    throw new Error('invalid RS256 signature');
  }
  return decoded;
}
