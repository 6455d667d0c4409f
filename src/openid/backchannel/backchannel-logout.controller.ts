import { Body, Controller, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags, ApiOkResponse, ApiBody, ApiConsumes } from '@nestjs/swagger';
import { Public } from '../../common/access.decorators';
import { DomainError, CommonErrors } from '../../common/errors';
import { LoginProviderRegistry } from '../../social';
import { OpenIdLoginProvider } from '../openid-login.provider';
import { ApiErrors } from '../../common/openapi';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { OpenidErrors } from '../openid.errors';

const LOGOUT_TOKEN_BODY: SchemaObject = {
  type: 'object',
  required: ['logout_token'],
  properties: { logout_token: { type: 'string', description: 'The signed logout token (JWT)' } },
};

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
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ schema: LOGOUT_TOKEN_BODY })
  @ApiOkResponse({ description: 'The logins are ended (an empty body)' })
  @ApiErrors(OpenidErrors.LOGOUT_TOKEN_INVALID, OpenidErrors.IDP_UNAVAILABLE, CommonErrors.NOT_FOUND)
  async defaultProvider(@Body() body: Record<string, unknown>): Promise<void> {
    await this.provider('openid').backchannelLogout(body?.logout_token);
  }

  @Post(':name/backchannel-logout')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Back-Channel Logout for a named OpenID provider (OPENID_PROVIDERS)' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ schema: LOGOUT_TOKEN_BODY })
  @ApiOkResponse({ description: 'The logins are ended (an empty body)' })
  @ApiErrors(OpenidErrors.LOGOUT_TOKEN_INVALID, OpenidErrors.IDP_UNAVAILABLE, CommonErrors.NOT_FOUND)
  async namedProvider(@Param('name') name: string, @Body() body: Record<string, unknown>): Promise<void> {
    await this.provider(`openid-${name}`).backchannelLogout(body?.logout_token);
  }

  private provider(name: string): OpenIdLoginProvider {
    const provider = this.registry.get(name);
    if (!(provider instanceof OpenIdLoginProvider)) throw new DomainError(CommonErrors.NOT_FOUND, { message: 'Unknown OpenID provider' });
    return provider;
  }
}
