import { Global, Module } from '@nestjs/common';
import { ModerationModule } from '../moderation';
import { OAuthStateModule } from '../oauth-state';
import { SessionsModule } from '../sessions';
import { UsersModule } from '../users';
import { LoginGate } from './login-gate';
import { LoginProviderRegistry } from './login-provider.registry';
import { OAuthController } from './oauth.controller';
import { SocialLoginService } from './social-login.service';
import { SocialProviders } from './social-providers';

/**
 * The provider registry, the `/oauth/*` routes and the shared social-login use case. Global, so
 * each provider module (Google, GitHub, …, or an extension) only injects `SocialProviders`.
 */
@Global()
@Module({
  imports: [SessionsModule, ModerationModule, UsersModule, OAuthStateModule],
  controllers: [OAuthController],
  providers: [LoginProviderRegistry, SocialLoginService, SocialProviders, LoginGate],
  exports: [LoginProviderRegistry, SocialProviders, SocialLoginService, LoginGate],
})
export class SocialModule {}
