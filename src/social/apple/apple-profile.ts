import type { SocialProfile } from '../social-identity';
import type { AppleClaims } from './apple-id-token.verifier';

export const PRIVATE_RELAY_DOMAIN = 'privaterelay.appleid.com';

/**
 * The `user` form field Apple posts on the first authorisation only:
 * `{"name":{"firstName":"…","lastName":"…"},"email":"…"}`. It is front-channel and unsigned, so
 * only the name is taken from it (bounded, trimmed); the email always comes from the verified
 * ID token (AP-04).
 */
export function nameFromUserField(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 2048) return null;
  try {
    const parsed = JSON.parse(raw) as { name?: { firstName?: unknown; lastName?: unknown } };
    const part = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 100) : '');
    const name = [part(parsed?.name?.firstName), part(parsed?.name?.lastName)].filter(Boolean).join(' ');
    return name || null;
  } catch {
    return null;
  }
}

/**
 * LibreChat's Apple mapping (docs/providers.md): email and id from the ID token; username = the email's
 * local part, lower-cased, or `user_<sub>`; no avatar. A private-relay address
 * (`…@privaterelay.appleid.com`, `is_private_email`) is a real, Apple-verified forwarding
 * address: it is kept as the account's email, but its local part is random, so the username
 * falls back to `user_<sub>` for it.
 */
export function appleProfile(claims: AppleClaims, name: string | null): SocialProfile {
  const email = claims.email?.trim().toLowerCase() || null;
  const relay = claims.isPrivateEmail || (email?.endsWith(`@${PRIVATE_RELAY_DOMAIN}`) ?? false);
  const username = email && !relay ? email.split('@')[0] : `user_${claims.sub}`;
  return { id: claims.sub, email, emailVerified: claims.emailVerified, name, username: username.toLowerCase(), avatar: null };
}
