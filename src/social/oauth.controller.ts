import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags, ApiResponse } from '@nestjs/swagger';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { Public } from '../common/access.decorators';
import { DomainError, CommonErrors } from '../common/errors';
import { RateLimit } from '../moderation';
import { LoginProviderRegistry } from './login-provider.registry';
import { ApiErrors } from '../common/openapi';

/** Every answer of these routes to the browser is a redirect, never JSON (even a failed sign-in). */
const BROWSER_REDIRECT = {
  status: 302,
  description: 'A redirect for the browser: to the provider, or back to the client (with `error=auth_failed` on failure)',
  headers: { Location: { description: 'Where the browser goes next', schema: { type: 'string' } } },
};

/** `/oauth/<provider>` and its callback, dispatched to the registered provider. */
@ApiTags('oauth')
@Controller('oauth')
export class OAuthController {
  constructor(private readonly registry: LoginProviderRegistry) {}

  @Get(':provider')
  @Public()
  // Counted once per sign-in, at its start; the callback cannot be replayed without its state (LibreChat defect D-21, docs/librechat-differences.md).
  @RateLimit('login')
  @ApiOperation({ summary: 'Start a browser sign-in: 302 to the identity provider (or to the client login page with error=auth_failed)' })
  @ApiResponse(BROWSER_REDIRECT)
  @ApiErrors(CommonErrors.NOT_FOUND)
  start(@Param('provider') name: string, @Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    return this.provider(name).start(req, res);
  }

  @Get(':provider/callback')
  @Public()
  @ApiOperation({ summary: 'Finish a browser sign-in: 302 to DOMAIN_CLIENT with a session, or to `/login?redirect=false&error=auth_failed`' })
  @ApiResponse(BROWSER_REDIRECT)
  @ApiErrors(CommonErrors.NOT_FOUND)
  callback(@Param('provider') name: string, @Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    return this.provider(name).callback(req, res);
  }

  @Post(':provider/callback')
  @Public()
  @ApiOperation({ summary: 'Finish a browser sign-in whose provider answers with a form POST (response_mode=form_post, e.g. Apple)' })
  @ApiResponse(BROWSER_REDIRECT)
  @ApiResponse({
    status: 200,
    description: 'SAML: an HTML page that posts on to the client (text/html)',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  @ApiErrors(CommonErrors.NOT_FOUND)
  callbackByPost(@Param('provider') name: string, @Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    const provider = this.provider(name);
    if (!provider.acceptsPost) throw new DomainError(CommonErrors.NOT_FOUND, { message: 'Unknown sign-in provider.' });
    return provider.callback(req, res);
  }

  // The router prefers a static segment to a parameter, so without this route
  // `/oauth/openid/callback` would be taken by `openid/:name` below; it is the default
  // provider's callback, documented under `:provider/callback`.
  @Get('openid/callback')
  @Public()
  @ApiExcludeEndpoint()
  callbackDefaultOpenId(@Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    return this.provider('openid').callback(req, res);
  }

  // Named OpenID providers (OPENID_PROVIDERS) are registered as `openid-<name>`; these aliases
  // give them the `/oauth/openid/<name>` form.
  @Get('openid/:name')
  @Public()
  @RateLimit('login')
  @ApiOperation({ summary: 'Start a sign-in with a named OpenID provider (OPENID_PROVIDERS)' })
  @ApiResponse(BROWSER_REDIRECT)
  @ApiErrors(CommonErrors.NOT_FOUND)
  startNamedOpenId(@Param('name') name: string, @Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    return this.provider(`openid-${name}`).start(req, res);
  }

  @Get('openid/:name/callback')
  @Public()
  @ApiOperation({ summary: 'Finish a sign-in with a named OpenID provider' })
  @ApiResponse(BROWSER_REDIRECT)
  @ApiErrors(CommonErrors.NOT_FOUND)
  callbackNamedOpenId(@Param('name') name: string, @Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    return this.provider(`openid-${name}`).callback(req, res);
  }

  private provider(name: string) {
    const provider = this.registry.get(name);
    if (!provider) throw new DomainError(CommonErrors.NOT_FOUND, { message: 'Unknown sign-in provider.' });
    return provider;
  }
}
