import { Global, Module } from '@nestjs/common';
import { LoginProviderRegistry } from './login-provider.registry';
import { OAuthController } from './oauth.controller';

/** The provider registry and the `/oauth/*` routes every browser sign-in provider shares. */
@Global()
@Module({
  controllers: [OAuthController],
  providers: [LoginProviderRegistry],
  exports: [LoginProviderRegistry],
})
export class SocialModule {}
