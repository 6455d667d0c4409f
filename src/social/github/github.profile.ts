import type { SocialProfile } from '../social-identity';

interface GitHubEmail {
  value?: string;
  primary?: boolean;
  verified?: boolean;
}

/**
 * passport-github2 profile (with `allRawEmails`) → shared shape. The address is the primary one
 * from `/user/emails`, and it counts as verified only when GitHub says so for that address: a
 * public profile email or a secondary address is never used to match an account (SO-01).
 */
export function githubProfile(raw: unknown): SocialProfile {
  const profile = raw as { id: string | number; username?: string; displayName?: string; photos?: { value?: string }[]; emails?: GitHubEmail[] };
  const primary = (profile.emails ?? []).find((e) => e.primary === true && typeof e.value === 'string');
  return {
    id: String(profile.id),
    email: primary?.value ?? null,
    emailVerified: primary?.verified === true,
    name: profile.displayName || null,
    username: profile.username ?? null,
    avatar: profile.photos?.[0]?.value ?? null,
  };
}
