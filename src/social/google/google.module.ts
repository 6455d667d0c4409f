import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { socialStrategyProvider } from '../oauth2/strategy-provider';
import { SocialProviders } from '../social-providers';
import { googleProfile } from './google.profile';
import { GoogleStrategy, GOOGLE_SCOPES } from './google.strategy';

/** "Continue with Google" (`/oauth/google`) when ALLOW_SOCIAL_LOGIN and GOOGLE_CLIENT_ID/SECRET are set. */
@Module({ providers: [socialStrategyProvider(GoogleStrategy, (social) => social.google)] })
export class GoogleModule implements OnModuleInit {
  constructor(
    private readonly providers: SocialProviders,
    @Inject(GoogleStrategy) private readonly strategy: GoogleStrategy | null,
  ) {}

  onModuleInit(): void {
    if (!this.strategy) return;
    this.providers.register({
      name: 'google',
      label: 'Google',
      iconUrl: null,
      scopes: GOOGLE_SCOPES,
      strategy: this.strategy,
      identityKey: { field: 'googleId' },
      profile: googleProfile,
    });
  }
}
