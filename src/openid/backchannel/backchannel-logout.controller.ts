import { Body, Controller, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/access.decorators';
import { DomainError, CommonErrors } from '../../common/errors';
import { LoginProviderRegistry } from '../../social';
import { OpenIdLoginProvider } from '../openid-login.provider';

/**
 * `backchannel_logout_uri` of the default provider (`/oauth/openid/backchannel-logout`) and of
 * each named one (`/oauth/openid/<name>/backchannel-logout`). Server-to-server: no cookies, no
 * same-site check; the logout token is the only credential.
 */
@ApiTags('oauth')
@Controller('oauth/openid')
export class BackchannelLogoutController {
  constructor(private readonly registry: LoginProviderRegistry) {}

  @Post('backchannel-logout')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'OpenID Connect Back-Channel Logout 1.0: end the logins of the IdP session named by the logout token' })
  async defaultProvider(@Body() body: Record<string, unknown>): Promise<void> {
    await this.provider('openid').backchannelLogout(body?.logout_token);
  }

  @Post(':name/backchannel-logout')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Back-Channel Logout for a named OpenID provider (OPENID_PROVIDERS)' })
  async namedProvider(@Param('name') name: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.provider(`openid-${name}`).backchannelLogout(body?.logout_token);
  }

  private provider(name: string): OpenIdLoginProvider {
    const provider = this.registry.get(name);
    if (!(provider instanceof OpenIdLoginProvider)) throw new DomainError(CommonErrors.NOT_FOUND, { message: 'Unknown OpenID provider' });
    return provider;
  }
}
