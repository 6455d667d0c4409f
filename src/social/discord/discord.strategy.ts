import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-discord';
import { strategyClass } from '../oauth2/strategy-options';
import type { SocialProviders } from '../social-providers';

export const DISCORD_SCOPES = ['identify', 'email'];

export interface DiscordSettings {
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
  baseUrl: string | null;
}

export function discordEndpoints(baseUrl: string | null) {
  const base = baseUrl ?? 'https://discord.com';
  return {
    authorizationURL: `${base}/oauth2/authorize`,
    tokenURL: `${base}/api/oauth2/token`,
    profileURL: `${base}/api/users/@me`,
  };
}

type OAuthGet = (url: string, token: string, cb: (err: unknown, body?: string) => void) => void;

/**
 * passport-discord as a Nest passport strategy. passport-discord hard-codes
 * `https://discord.com/api/users/@me` and probes the `connections` and `guilds` scopes we never
 * ask for; `userProfile` here fetches only the user object from the configured host.
 */
export class DiscordStrategy extends PassportStrategy(strategyClass(Strategy), 'discord') {
  private readonly profileURL: string;

  constructor(settings: DiscordSettings, providers: SocialProviders) {
    const { profileURL, ...endpoints } = discordEndpoints(settings.baseUrl);
    super({
      // Discord does not document PKCE for confidential clients: state only.
      ...providers.strategyOptions('discord', settings, DISCORD_SCOPES, { pkce: false }),
      ...endpoints,
    });
    this.profileURL = profileURL;
  }

  userProfile(accessToken: string, done: (err?: unknown, profile?: unknown) => void): void {
    const oauth2 = (this as unknown as { _oauth2: { get: OAuthGet } })._oauth2;
    oauth2.get(this.profileURL, accessToken, (err, body) => {
      if (err) return done(Object.assign(new Error('Failed to fetch the Discord user'), { oauthError: err }));
      try {
        done(null, JSON.parse(body ?? ''));
      } catch {
        done(new Error('Failed to parse the Discord user'));
      }
    });
  }

  /** The profile goes on unchanged: the shared social-login use case decides the account. */
  validate(_accessToken: string, _refreshToken: string, profile: unknown): unknown {
    return profile;
  }
}
