import { Module, type OnModuleInit } from '@nestjs/common';
import { Clock, ClockModule } from '../../common/clock';
import { GatehouseConfig, ServerConfig } from '../../config';
import { OpenIdStateStore } from '../../openid/openid-state.store';
import { LoginProviderRegistry } from '../login-provider.registry';
import { SocialLoginService } from '../social-login.service';
import { SocialProviders } from '../social-providers';
import { AppleIdTokenVerifier } from './apple-id-token.verifier';
import { AppleLoginProvider } from './apple-login.provider';

/** Sign in with Apple: registered only with ALLOW_SOCIAL_LOGIN and all four APPLE_* credentials. */
@Module({ imports: [ClockModule], providers: [OpenIdStateStore] })
export class AppleModule implements OnModuleInit {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly providers: SocialProviders,
    private readonly registry: LoginProviderRegistry,
    private readonly useCase: SocialLoginService,
    private readonly transactions: OpenIdStateStore,
    private readonly server: ServerConfig,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const settings = this.config.apple;
    if (!settings || !this.providers.isEnabled(settings)) return;
    const redirectUri = this.providers.callbackUrl(settings.callbackUrl);
    this.registry.register(new AppleLoginProvider(settings, this.transactions, new AppleIdTokenVerifier(settings), this.useCase, this.server, this.clock, redirectUri));
  }
}
