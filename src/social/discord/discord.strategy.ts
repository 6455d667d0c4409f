import { Strategy } from 'passport-discord';
import type { PassportStrategyLike } from '../oauth2/passport-runner';
import { keepProfile, strategyClass } from '../oauth2/strategy-options';
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
 * passport-discord hard-codes `https://discord.com/api/users/@me` and probes the `connections`
 * and `guilds` scopes we never ask for; this subclass fetches only the user object from the
 * configured host.
 */
function discordStrategyClass(profileURL: string) {
  const Base = strategyClass(Strategy);
  return class DiscordStrategy extends Base {
    userProfile(accessToken: string, done: (err: unknown, profile?: unknown) => void): void {
      const oauth2 = (this as unknown as { _oauth2: { get: OAuthGet } })._oauth2;
      oauth2.get(profileURL, accessToken, (err, body) => {
        if (err) return done(Object.assign(new Error('Failed to fetch the Discord user'), { oauthError: err }));
        try {
          done(null, JSON.parse(body ?? ''));
        } catch {
          done(new Error('Failed to parse the Discord user'));
        }
      });
    }
  };
}

export function createDiscordStrategy(settings: DiscordSettings, providers: SocialProviders): PassportStrategyLike {
  const { profileURL, ...endpoints } = discordEndpoints(settings.baseUrl);
  const DiscordStrategy = discordStrategyClass(profileURL);
  return new DiscordStrategy(
    {
      // Discord does not document PKCE for confidential clients: state only.
      ...providers.strategyOptions('discord', settings, DISCORD_SCOPES, { pkce: false }),
      ...endpoints,
    },
    keepProfile,
  );
}
