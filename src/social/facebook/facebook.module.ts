import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { socialStrategyProvider } from '../oauth2/strategy-provider';
import { SocialProviders } from '../social-providers';
import { facebookProfile } from './facebook.profile';
import { FacebookStrategy, FACEBOOK_SCOPES } from './facebook.strategy';

/** "Continue with Facebook" (`/oauth/facebook`). */
@Module({ providers: [socialStrategyProvider(FacebookStrategy, (social) => social.facebook)] })
export class FacebookModule implements OnModuleInit {
  constructor(
    private readonly providers: SocialProviders,
    @Inject(FacebookStrategy) private readonly strategy: FacebookStrategy | null,
  ) {}

  onModuleInit(): void {
    if (!this.strategy) return;
    this.providers.register({
      name: 'facebook',
      label: 'Facebook',
      iconUrl: null,
      scopes: FACEBOOK_SCOPES,
      strategy: this.strategy,
      identityKey: { field: 'facebookId' },
      profile: facebookProfile,
    });
  }
}
