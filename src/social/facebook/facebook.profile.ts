import type { SocialProfile } from '../social-identity';

/**
 * passport-facebook profile → shared shape. Graph returns `email` only when the user granted
 * the permission and has a usable address, and it makes no verification claim: the address
 * can create an account but never links to an existing one (SO-01).
 */
export function facebookProfile(raw: unknown): SocialProfile {
  const profile = raw as { id: string; displayName?: string; emails?: { value?: string }[]; photos?: { value?: string }[] };
  return {
    id: String(profile.id),
    email: profile.emails?.[0]?.value ?? null,
    emailVerified: false,
    name: profile.displayName || null,
    username: null,
    avatar: profile.photos?.[0]?.value ?? null,
  };
}
