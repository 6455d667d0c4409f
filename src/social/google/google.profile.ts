import type { SocialProfile } from '../social-identity';

/** The OpenID userinfo shape Google returns (`openidconnect.googleapis.com/v1/userinfo`). */
interface GoogleUserinfo {
  sub?: string;
  email?: string;
  email_verified?: boolean | string;
  name?: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
}

/** passport-google-oauth20 profile → shared shape; `email_verified` is read from the raw userinfo. */
export function googleProfile(raw: unknown): SocialProfile {
  const profile = raw as { id: string; _json?: GoogleUserinfo };
  const json = profile._json ?? {};
  const fullName = [json.given_name, json.family_name].filter(Boolean).join(' ');
  return {
    id: String(json.sub ?? profile.id),
    email: json.email ?? null,
    emailVerified: json.email_verified === true || json.email_verified === 'true',
    name: json.name ?? (fullName || null),
    username: json.given_name ?? null,
    avatar: json.picture ?? null,
  };
}
