import { Module, Optional, type OnModuleInit } from '@nestjs/common';
import { OutboundCalls } from '../../common/outbound-calls';
import { Clock, ClockModule } from '../../common/clock';
import { outboundProxy } from '../../common/outbound-proxy';
import { GatehouseConfig, ServerConfig } from '../../config';
import { OAuthStateModule, OAuthStateStore } from '../../oauth-state';
import { LoginProviderRegistry } from '../login-provider.registry';
import { SocialLoginService } from '../social-login.service';
import { SocialProviders } from '../social-providers';
import { AppleIdTokenVerifier } from './apple-id-token.verifier';
import { AppleLoginProvider } from './apple-login.provider';

/** Sign in with Apple: registered only with ALLOW_SOCIAL_LOGIN and all four APPLE_* credentials. */
@Module({ imports: [ClockModule, OAuthStateModule] })
export class AppleModule implements OnModuleInit {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly providers: SocialProviders,
    private readonly registry: LoginProviderRegistry,
    private readonly useCase: SocialLoginService,
    private readonly transactions: OAuthStateStore,
    private readonly server: ServerConfig,
    private readonly clock: Clock,
    @Optional() private readonly calls?: OutboundCalls,
  ) {}

  onModuleInit(): void {
    const settings = this.config.apple;
    if (!settings || !this.providers.isEnabled(settings)) return;
    const redirectUri = this.providers.callbackUrl(settings.callbackUrl);
    // PROXY / NO_PROXY apply to Apple's token and key endpoints like to every provider call.
    const proxy = outboundProxy(this.config.openid.proxy, this.config.openid.noProxy);
    this.registry.register(
      new AppleLoginProvider(
        settings,
        this.transactions,
        new AppleIdTokenVerifier(settings, proxy),
        this.useCase,
        this.server,
        this.clock,
        redirectUri,
        proxy,
        this.calls,
      ),
    );
  }
}
