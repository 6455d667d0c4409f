import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags, ApiProduces, ApiOkResponse } from '@nestjs/swagger';
import { Public } from '../common/access.decorators';
import { DomainError, CommonErrors } from '../common/errors';
import { LoginProviderRegistry } from '../social';
import { SAML_PROVIDER_NAME, SamlLoginProvider } from './saml-login.provider';
import { ApiErrors } from '../common/openapi';

/**
 * SAML's own route: the service-provider metadata. `GET /oauth/saml` and the HTTP-POST callback
 * go through the shared OAuth controller like every provider (the provider `acceptsPost`).
 */
@ApiTags('oauth')
@Controller('oauth/saml')
export class SamlController {
  constructor(private readonly registry: LoginProviderRegistry) {}

  @Get('metadata')
  @Public()
  @Header('Content-Type', 'application/samlmetadata+xml; charset=utf-8')
  @ApiOperation({ summary: 'SAML service-provider metadata (entity ID, ACS URL) to import at the IdP' })
  @ApiProduces('application/samlmetadata+xml')
  @ApiOkResponse({ content: { 'application/samlmetadata+xml': { schema: { type: 'string' } } }, description: 'SP metadata (XML)' })
  @ApiErrors(CommonErrors.NOT_FOUND)
  metadata(): string {
    return this.provider().metadata();
  }

  private provider(): SamlLoginProvider {
    const provider = this.registry.get(SAML_PROVIDER_NAME);
    if (!(provider instanceof SamlLoginProvider)) throw new DomainError(CommonErrors.NOT_FOUND, { message: 'Unknown sign-in provider.' });
    return provider;
  }
}
