import { Secret, TOTP } from 'otpauth';

/** RFC 6238 defaults, as LibreChat and every authenticator app use them. */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
/** One step either side, for clock drift between phone and server. */
const WINDOW = 1;

/** A new secret: 10 random bytes in Base32 (16 characters), like LibreChat's. */
export function newTotpSecret(): string {
  return new Secret({ size: 10 }).base32;
}

/** The issuer as LibreChat writes it: APP_TITLE without whitespace. */
export function issuerOf(appTitle: string): string {
  return appTitle.replace(/\s+/g, '');
}

function totpFor(secret: string, issuer: string, email: string): TOTP {
  return new TOTP({ issuer, label: email, algorithm: 'SHA1', digits: DIGITS, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret) });
}

export function otpauthUrl(secret: string, issuer: string, email: string): string {
  return totpFor(secret, issuer, email).toString();
}

/**
 * The time step a code belongs to, or null when it matches none in the window. The step (not a
 * yes/no) is what the replay guard records.
 */
export function matchingStep(secret: string, token: string, now: Date): number | null {
  const normalised = token.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(normalised)) return null;
  let totp: TOTP;
  try {
    totp = totpFor(secret, 'x', 'x');
  } catch {
    return null;
  }
  const delta = totp.validate({ token: normalised, timestamp: now.getTime(), window: WINDOW });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
}
