import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-facebook';
import { strategyClass } from '../oauth2/strategy-options';
import type { SocialProviders } from '../social-providers';

/**
 * LibreChat asks only for `public_profile`, so Facebook never releases the address and its own
 * docs call the provider "work in progress": `email` is a separate permission.
 */
export const FACEBOOK_SCOPES = ['public_profile', 'email'];
const GRAPH_VERSION = 'v21.0';

export interface FacebookSettings {
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
  baseUrl: string | null;
}

export function facebookEndpoints(baseUrl: string | null) {
  return {
    authorizationURL: `${baseUrl ?? `https://www.facebook.com/${GRAPH_VERSION}`}/dialog/oauth`,
    tokenURL: `${baseUrl ?? `https://graph.facebook.com/${GRAPH_VERSION}`}/oauth/access_token`,
    profileURL: `${baseUrl ?? `https://graph.facebook.com/${GRAPH_VERSION}`}/me`,
  };
}

/** passport-facebook as a Nest passport strategy; run by the social runner, never with sessions. */
export class FacebookStrategy extends PassportStrategy(strategyClass(Strategy), 'facebook') {
  constructor(settings: FacebookSettings, providers: SocialProviders) {
    super({
      // Facebook's manual login flow accepts PKCE (code_challenge, S256).
      ...providers.strategyOptions('facebook', settings, FACEBOOK_SCOPES, { pkce: true }),
      ...facebookEndpoints(settings.baseUrl),
      // `/me` returns only `id` and `name` unless the fields are named: → fields=id,name,email,picture
      profileFields: ['id', 'displayName', 'emails', 'photos'],
      // appsecret_proof on Graph calls, so a leaked access token alone cannot be replayed from elsewhere.
      enableProof: true,
    });
  }

  /** The profile goes on unchanged: the shared social-login use case decides the account. */
  validate(_accessToken: string, _refreshToken: string, profile: unknown): unknown {
    return profile;
  }
}
