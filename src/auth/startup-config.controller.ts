import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/access.decorators';
import { LdapConfig, MailConfig, OpenIdConfig, RegistrationConfig, SamlConfig, ServerConfig, SocialConfig } from '../config';
import type { AuthenticatedRequest } from './guards/auth.decorators';
import { LoginProviderRegistry } from '../social';
import { StartupConfig } from '../common/openapi';

/** The unauthenticated startup payload LibreChat's client reads before sign-in (docs/librechat-differences.md#http-api). */
@ApiTags('config')
@Controller('api/config')
export class StartupConfigController {
  constructor(
    private readonly server: ServerConfig,
    private readonly registration: RegistrationConfig,
    private readonly social: SocialConfig,
    private readonly openid: OpenIdConfig,
    private readonly mail: MailConfig,
    private readonly saml: SamlConfig,
    private readonly providers: LoginProviderRegistry,
    private readonly ldap: LdapConfig,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Startup configuration for the sign-in page' })
  @ApiOkResponse({ type: StartupConfig })
  get(@Req() req: AuthenticatedRequest) {
    const socialOn = this.registration.allowSocialLogin;
    // A provider is registered only when it is enabled (ALLOW_SOCIAL_LOGIN and its credentials).
    const registered = (name: string) => this.providers.has(name);
    const emailEnabled = this.mail.transport !== null;
    const openidLoginEnabled = socialOn && this.openid.enabled;
    return {
      appTitle: this.server.appTitle,
      serverDomain: this.server.domainServer,
      emailLoginEnabled: this.registration.allowEmailLogin,
      // LDAP replaces local accounts (docs/providers.md); POST /api/auth/register is refused then too (LibreChat defect D-23 fixed).
      registrationEnabled: !this.ldap.enabled && this.registration.allowRegistration,
      socialLoginEnabled: socialOn,
      googleLoginEnabled: registered('google'),
      githubLoginEnabled: registered('github'),
      discordLoginEnabled: registered('discord'),
      facebookLoginEnabled: registered('facebook'),
      appleLoginEnabled: registered('apple'),
      openidLoginEnabled,
      openidLabel: this.openid.buttonLabel,
      openidImageUrl: this.openid.imageUrl ?? '',
      openidAutoRedirect: this.openid.autoRedirect,
      // LibreChat's client shows one enterprise button: SAML only when OpenID is off (docs/librechat-differences.md#http-api).
      // The route works either way, and `loginProviders` lists it for clients that draw every button.
      samlLoginEnabled: registered('saml') && !openidLoginEnabled,
      samlLabel: this.saml.buttonLabel,
      samlImageUrl: this.saml.imageUrl ?? '',
      ldap: this.ldap.enabled && this.ldap.loginUsesUsername ? { enabled: true, username: true } : { enabled: this.ldap.enabled },
      // Same rule as the server's own: a configured transport is enough (LibreChat defect D-22 fixed, docs/librechat-differences.md).
      emailEnabled,
      // Hidden when no mail can carry the link (RS-07), unless the insecure no-mail reset is switched on.
      passwordResetEnabled: this.registration.allowPasswordReset && (emailEnabled || this.registration.allowInsecurePasswordReset),
      minPasswordLength: this.registration.minPasswordLength,
      socialLogins: this.social.buttonOrder,
      // Part of LibreChat's authenticated payload (docs/librechat-differences.md#http-api): only for a signed-in caller.
      ...(req.user ? { openidReuseTokens: socialOn && this.openid.enabled && this.openid.reuseTokens } : {}),
      // Every registered browser sign-in (built-in, named OpenID providers, extensions), in
      // registration order: clients that draw buttons generically read this.
      loginProviders: this.providers.list(),
    };
  }
}
