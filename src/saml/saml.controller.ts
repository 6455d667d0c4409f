import { Controller, Get, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../common/access.decorators';
import { DomainError } from '../common/errors';
import { LoginProviderRegistry } from '../social';
import { SAML_PROVIDER_NAME, SamlLoginProvider } from './saml-login.provider';

/**
 * The SAML callback is a form POST from the IdP (HTTP-POST binding), unlike the OAuth callbacks
 * the shared controller serves with GET. `GET /oauth/saml` itself goes through that controller.
 */
@ApiTags('oauth')
@Controller('oauth/saml')
export class SamlController {
  constructor(private readonly registry: LoginProviderRegistry) {}

  @Post('callback')
  @Public()
  @HttpCode(302)
  @ApiOperation({ summary: 'Finish a SAML sign-in (HTTP-POST binding): 302 to DOMAIN_CLIENT with a session, or to `/login?redirect=false&error=auth_failed`' })
  callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.provider().callback(req, res);
  }

  @Get('metadata')
  @Public()
  @Header('Content-Type', 'application/samlmetadata+xml; charset=utf-8')
  @ApiOperation({ summary: 'SAML service-provider metadata (entity ID, ACS URL) to import at the IdP' })
  metadata(): string {
    return this.provider().metadata();
  }

  private provider(): SamlLoginProvider {
    const provider = this.registry.get(SAML_PROVIDER_NAME);
    if (!(provider instanceof SamlLoginProvider)) throw new DomainError(404, 'NOT_FOUND', 'Unknown sign-in provider.');
    return provider;
  }
}
