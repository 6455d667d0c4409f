import { Module, OnModuleInit } from '@nestjs/common';
import { SocialConfig } from '../../config';
import { SocialProviders } from '../social-providers';
import { discordProfile } from './discord.profile';
import { createDiscordStrategy, DISCORD_SCOPES } from './discord.strategy';

/** "Continue with Discord" (`/oauth/discord`). */
@Module({})
export class DiscordModule implements OnModuleInit {
  constructor(
    private readonly providers: SocialProviders,
    private readonly social: SocialConfig,
  ) {}

  onModuleInit(): void {
    const settings = this.social.discord;
    if (!settings || !this.providers.isEnabled(settings)) return;
    this.providers.register({
      name: 'discord',
      label: 'Discord',
      iconUrl: null,
      scopes: DISCORD_SCOPES,
      strategy: createDiscordStrategy(settings, this.providers),
      // As LibreChat: skip Discord's consent screen when the user already authorized the app.
      authorizationOptions: { prompt: 'none' },
      identityKey: { field: 'discordId' },
      profile: discordProfile,
    });
  }
}
