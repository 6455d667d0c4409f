import { Global, Module } from '@nestjs/common';
import { ModerationModule } from '../moderation';
import { OpenIdStateStore } from '../openid/openid-state.store';
import { SessionsModule } from '../sessions/sessions.module';
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
  imports: [SessionsModule, ModerationModule, UsersModule],
  controllers: [OAuthController],
  // The transaction store is stateless apart from its key: this instance and OpenID's read each other's cookies.
  providers: [LoginProviderRegistry, SocialLoginService, SocialProviders, LoginGate, OpenIdStateStore],
  exports: [LoginProviderRegistry, SocialProviders, SocialLoginService, LoginGate],
})
export class SocialModule {}
