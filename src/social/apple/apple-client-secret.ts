import * as jwt from 'jsonwebtoken';
import type { AppleSettings } from '../../config';

export const APPLE_ISSUER = 'https://appleid.apple.com';

/** Short-lived: Apple accepts up to six months, but a leaked secret should be worth little. */
const LIFETIME_SEC = 5 * 60;

/**
 * The client secret Apple wants instead of a static one: a JWT signed ES256 with the team's
 * `.p8` key — header `kid` = APPLE_KEY_ID; claims iss = APPLE_TEAM_ID, sub = APPLE_CLIENT_ID,
 * aud = https://appleid.apple.com, iat/exp. Made per token request (cheap, nothing to cache).
 */
export function appleClientSecret(settings: AppleSettings, now: Date): string {
  const iat = Math.floor(now.getTime() / 1000);
  return jwt.sign({ iss: settings.teamId, iat, exp: iat + LIFETIME_SEC, aud: APPLE_ISSUER, sub: settings.clientId }, settings.privateKey, {
    algorithm: 'ES256',
    keyid: settings.keyId,
  });
}
