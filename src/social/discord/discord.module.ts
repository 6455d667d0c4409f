import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { socialStrategyProvider } from '../oauth2/strategy-provider';
import { SocialProviders } from '../social-providers';
import { discordProfile } from './discord.profile';
import { DiscordStrategy, DISCORD_SCOPES } from './discord.strategy';

/** "Continue with Discord" (`/oauth/discord`). */
@Module({ providers: [socialStrategyProvider(DiscordStrategy, (social) => social.discord)] })
export class DiscordModule implements OnModuleInit {
  constructor(
    private readonly providers: SocialProviders,
    @Inject(DiscordStrategy) private readonly strategy: DiscordStrategy | null,
  ) {}

  onModuleInit(): void {
    if (!this.strategy) return;
    this.providers.register({
      name: 'discord',
      label: 'Discord',
      iconUrl: null,
      scopes: DISCORD_SCOPES,
      strategy: this.strategy,
      // As LibreChat: skip Discord's consent screen when the user already authorized the app.
      authorizationOptions: { prompt: 'none' },
      identityKey: { field: 'discordId' },
      profile: discordProfile,
    });
  }
}
