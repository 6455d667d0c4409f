import { createPublicKey } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import type { JwksClient } from 'jwks-rsa';
import type { OutboundProxy } from '../../common/outbound-proxy';
import type { AppleSettings } from '../../config';
import { SocialLoginFailure } from '../social-identity';
import { APPLE_ISSUER } from './apple-client-secret';

export interface AppleClaims {
  sub: string;
  email: string | null;
  /** Apple sends `"true"`/`"false"` strings (sometimes booleans). */
  emailVerified: boolean;
  isPrivateEmail: boolean;
}

const TIMEOUT_MS = 5_000;
const LEEWAY_SEC = 60;

/**
 * Verifies Apple's ID token: RS256 only (never the token's own choice), the key by `kid` from
 * Apple's JWKS (`/auth/keys`, cached, refetch rate-limited), iss exactly
 * https://appleid.apple.com, aud = APPLE_CLIENT_ID, exp/iat with a minute of leeway, and the
 * nonce of this browser's transaction (AP-02, AP-03).
 */
export class AppleIdTokenVerifier {
  private readonly jwks: JwksClient;

  constructor(
    private readonly settings: AppleSettings,
    proxy: OutboundProxy,
  ) {
    const requestAgent = proxy.nodeAgent();
    // Loaded here, so a deployment without Sign in with Apple never loads jwks-rsa and jose.
    const { JwksClient: Client } = require('jwks-rsa') as typeof import('jwks-rsa');
    this.jwks = new Client({
      jwksUri: `${settings.baseUrl}/auth/keys`,
      cache: true,
      cacheMaxAge: 10 * 60_000,
      rateLimit: true,
      jwksRequestsPerMinute: 10,
      timeout: TIMEOUT_MS,
      ...(requestAgent ? { requestAgent } : {}),
    });
  }

  async verify(idToken: string, nonce: string, now: Date): Promise<AppleClaims> {
    const decoded = jwt.decode(idToken, { complete: true });
    if (!decoded || typeof decoded.payload !== 'object') throw new SocialLoginFailure('provider_error', 'apple: the ID token is not a JWT');
    if (decoded.header.alg !== 'RS256')
      throw new SocialLoginFailure('provider_error', `apple: ID token algorithm ${JSON.stringify(decoded.header.alg)} refused (RS256 only)`);
    let key: string;
    try {
      key = (await this.jwks.getSigningKey(decoded.header.kid)).getPublicKey();
    } catch (error) {
      const e = error as Error & { name?: string };
      // SigningKeyNotFoundError is a bad token; anything else (network, 5xx) is Apple being unavailable.
      const unknownKey = e.name === 'SigningKeyNotFoundError' || /no KID|rate limit/i.test(e.message);
      throw new SocialLoginFailure(unknownKey ? 'provider_error' : 'provider_unavailable', `apple: JWKS: ${e.message}`);
    }
    let payload: jwt.JwtPayload;
    try {
      payload = jwt.verify(idToken, createPublicKey(key), {
        algorithms: ['RS256'],
        issuer: APPLE_ISSUER,
        audience: this.settings.clientId,
        clockTimestamp: Math.floor(now.getTime() / 1000),
        clockTolerance: LEEWAY_SEC,
      }) as jwt.JwtPayload;
    } catch (error) {
      throw new SocialLoginFailure('provider_error', `apple: ID token refused: ${(error as Error).message}`);
    }
    if (payload.nonce !== nonce) throw new SocialLoginFailure('provider_error', 'apple: ID token nonce does not match this sign-in');
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new SocialLoginFailure('provider_error', 'apple: ID token without sub');
    if (typeof payload.iat === 'number' && payload.iat > now.getTime() / 1000 + LEEWAY_SEC)
      throw new SocialLoginFailure('provider_error', 'apple: ID token issued in the future');
    return {
      sub: payload.sub,
      email: typeof payload.email === 'string' ? payload.email : null,
      emailVerified: isTrue(payload.email_verified),
      isPrivateEmail: isTrue(payload.is_private_email),
    };
  }
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
