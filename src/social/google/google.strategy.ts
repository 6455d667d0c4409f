import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-google-oauth20';
import { strategyClass } from '../oauth2/strategy-options';
import type { SocialProviders } from '../social-providers';

export const GOOGLE_SCOPES = ['openid', 'profile', 'email'];

export interface GoogleSettings {
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
  baseUrl: string | null;
}

/**
 * Google's endpoints; with GOOGLE_OAUTH_BASE_URL one host serves all three under their real
 * paths. The OpenID userinfo endpoint (not the legacy v3 one) gives `sub` and `email_verified`.
 */
export function googleEndpoints(baseUrl: string | null) {
  return {
    authorizationURL: `${baseUrl ?? 'https://accounts.google.com'}/o/oauth2/v2/auth`,
    tokenURL: `${baseUrl ?? 'https://oauth2.googleapis.com'}/token`,
    userProfileURL: `${baseUrl ?? 'https://openidconnect.googleapis.com'}/v1/userinfo`,
  };
}

/** passport-google-oauth20 as a Nest passport strategy; run by the social runner, never with sessions. */
export class GoogleStrategy extends PassportStrategy(strategyClass(Strategy), 'google') {
  constructor(settings: GoogleSettings, providers: SocialProviders) {
    super({
      // Google supports PKCE (S256); state and verifier live in the sealed transaction cookie.
      ...providers.strategyOptions('google', settings, GOOGLE_SCOPES, { pkce: true }),
      ...googleEndpoints(settings.baseUrl),
    });
  }

  /** The profile goes on unchanged: the shared social-login use case decides the account. */
  validate(_accessToken: string, _refreshToken: string, profile: unknown): unknown {
    return profile;
  }
}
