import { Module, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock';
import { SamlConfig, ServerConfig } from '../config';
import { LoginProviderRegistry, SocialLoginService, SocialProviders } from '../social';
import { SamlLoginProvider } from './saml-login.provider';
import { SamlRequestStore } from './saml-request.store';
import { SamlController } from './saml.controller';

/**
 * "Continue with SAML" (`/oauth/saml`) when ALLOW_SOCIAL_LOGIN and the four required SAML
 * variables are set (docs/providers.md). Registered in the shared provider registry, so it appears in
 * `/api/config` and on the sign-in page like every other provider.
 */
@Module({
  controllers: [SamlController],
  providers: [SamlRequestStore],
})
export class SamlModule implements OnModuleInit {
  constructor(
    private readonly settings: SamlConfig,
    private readonly server: ServerConfig,
    private readonly providers: SocialProviders,
    private readonly registry: LoginProviderRegistry,
    private readonly useCase: SocialLoginService,
    private readonly requests: SamlRequestStore,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    if (!this.settings.enabled || !this.providers.isEnabled(this.settings)) return;
    const callbackUrl = this.providers.callbackUrl(this.settings.callbackUrl);
    this.registry.register(new SamlLoginProvider(this.settings, this.server, this.requests, this.useCase, callbackUrl, this.clock));
  }
}
