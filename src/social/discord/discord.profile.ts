import type { SocialProfile } from '../social-identity';

/** The user object of `GET /api/users/@me`. */
interface DiscordUser {
  id: string;
  username?: string;
  global_name?: string | null;
  discriminator?: string;
  avatar?: string | null;
  email?: string | null;
  verified?: boolean;
}

const CDN = 'https://cdn.discordapp.com';

/**
 * LibreChat's Discord avatar rules (docs/librechat-differences.md#social-sign-in): an uploaded avatar is on the CDN as `<hash>.gif` when the hash starts
 * with `a_` (animated), `.png` otherwise; without one, the default embed avatar. Legacy
 * accounts pick it by `discriminator % 5`; accounts on the new username system have
 * discriminator "0", where Discord's docs say `(id >> 22) % 6` (LibreChat always got 0 there).
 */
export function discordAvatarUrl(user: Pick<DiscordUser, 'id' | 'avatar' | 'discriminator'>): string {
  if (user.avatar) return `${CDN}/avatars/${user.id}/${user.avatar}.${user.avatar.startsWith('a_') ? 'gif' : 'png'}`;
  const discriminator = Number(user.discriminator ?? '0');
  const index = discriminator > 0 ? discriminator % 5 : /^\d+$/.test(user.id) ? Number((BigInt(user.id) >> 22n) % 6n) : 0;
  return `${CDN}/embed/avatars/${index}.png`;
}

export function discordProfile(raw: unknown): SocialProfile {
  const user = raw as DiscordUser;
  return {
    id: String(user.id),
    email: user.email ?? null,
    // Discord's `verified` is about the account's email address.
    emailVerified: user.verified === true,
    name: user.global_name ?? user.username ?? null,
    username: user.username ?? null,
    avatar: discordAvatarUrl(user),
  };
}
