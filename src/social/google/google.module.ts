import { Module, OnModuleInit } from '@nestjs/common';
import { SocialConfig } from '../../config';
import { SocialProviders } from '../social-providers';
import { googleProfile } from './google.profile';
import { createGoogleStrategy, GOOGLE_SCOPES } from './google.strategy';

/** "Continue with Google" (`/oauth/google`) when ALLOW_SOCIAL_LOGIN and GOOGLE_CLIENT_ID/SECRET are set. */
@Module({})
export class GoogleModule implements OnModuleInit {
  constructor(
    private readonly providers: SocialProviders,
    private readonly social: SocialConfig,
  ) {}

  onModuleInit(): void {
    const settings = this.social.google;
    if (!settings || !this.providers.isEnabled(settings)) return;
    this.providers.register({
      name: 'google',
      label: 'Google',
      iconUrl: null,
      scopes: GOOGLE_SCOPES,
      strategy: createGoogleStrategy(settings, this.providers),
      identityKey: { field: 'googleId' },
      profile: googleProfile,
    });
  }
}
