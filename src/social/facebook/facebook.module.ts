import { Module, OnModuleInit } from '@nestjs/common';
import { SocialConfig } from '../../config';
import { SocialProviders } from '../social-providers';
import { facebookProfile } from './facebook.profile';
import { createFacebookStrategy, FACEBOOK_SCOPES } from './facebook.strategy';

/** "Continue with Facebook" (`/oauth/facebook`). */
@Module({})
export class FacebookModule implements OnModuleInit {
  constructor(
    private readonly providers: SocialProviders,
    private readonly social: SocialConfig,
  ) {}

  onModuleInit(): void {
    const settings = this.social.facebook;
    if (!settings || !this.providers.isEnabled(settings)) return;
    this.providers.register({
      name: 'facebook',
      label: 'Facebook',
      iconUrl: null,
      scopes: FACEBOOK_SCOPES,
      strategy: createFacebookStrategy(settings, this.providers),
      identityKey: { field: 'facebookId' },
      profile: facebookProfile,
    });
  }
}
