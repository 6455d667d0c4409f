import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { httpUrl, optStr, pathOrUrl } from '../fields/env-fields';
import { problem } from './issue';

export interface AppleSettings {
  /** Services ID (the OAuth client_id). */
  clientId: string;
  teamId: string;
  keyId: string;
  /** The `.p8` key (EC P-256) that signs the client secret JWT; read at boot, never logged. */
  privateKey: KeyObject;
  callbackUrl: string;
  /** https://appleid.apple.com unless replaced (tests, egress proxies); the token issuer stays Apple's. */
  baseUrl: string;
}

const VARIABLES = ['APPLE_CLIENT_ID', 'APPLE_TEAM_ID', 'APPLE_KEY_ID', 'APPLE_PRIVATE_KEY_PATH'] as const;

/**
 * Sign in with Apple: on when all four of APPLE_CLIENT_ID, APPLE_TEAM_ID,
 * APPLE_KEY_ID and APPLE_PRIVATE_KEY_PATH are set (LibreChat's `appleLoginEnabled` rule); some
 * but not all is refused at boot, as is a key file that is not an EC P-256 private key.
 */
export const appleSchema = z
  .object({
    APPLE_CLIENT_ID: optStr(),
    APPLE_TEAM_ID: optStr(),
    APPLE_KEY_ID: optStr(),
    APPLE_PRIVATE_KEY_PATH: optStr(),
    APPLE_CALLBACK_URL: pathOrUrl('/oauth/apple/callback'),
    APPLE_OAUTH_BASE_URL: httpUrl('https://appleid.apple.com'),
  })
  .transform((v, ctx): AppleSettings | null => {
    const given = VARIABLES.filter((name) => v[name] !== undefined);
    if (given.length === 0) return null;
    if (given.length < VARIABLES.length) {
      for (const name of VARIABLES.filter((n) => v[n] === undefined))
        problem(ctx, name, `is required when ${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} set (Sign in with Apple needs all four)`);
      return z.NEVER;
    }
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(readFileSync(v.APPLE_PRIVATE_KEY_PATH!, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problem(
        ctx,
        'APPLE_PRIVATE_KEY_PATH',
        code?.startsWith('E') && !code.startsWith('ERR_')
          ? `cannot be read (${code}); expected the AuthKey_<KEY_ID>.p8 file`
          : 'is not a PEM private key; expected the AuthKey_<KEY_ID>.p8 file from Apple',
      );
      return z.NEVER;
    }
    if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      problem(ctx, 'APPLE_PRIVATE_KEY_PATH', 'is not an EC P-256 key; Apple client secrets are signed with ES256');
      return z.NEVER;
    }
    return {
      clientId: v.APPLE_CLIENT_ID!,
      teamId: v.APPLE_TEAM_ID!,
      keyId: v.APPLE_KEY_ID!,
      privateKey,
      callbackUrl: v.APPLE_CALLBACK_URL,
      baseUrl: v.APPLE_OAUTH_BASE_URL,
    };
  });
