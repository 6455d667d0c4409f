import { Controller, Get, Header, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiOkResponse, ApiQuery } from '@nestjs/swagger';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { CurrentUser } from '../../auth';
import type { UserRecord } from '../../storage';
import { GraphTokenService, type GraphToken } from './graph-token.service';
import { ApiErrors, GraphToken as GraphTokenModel } from '../../common/openapi';
import { OpenidErrors } from '../openid.errors';

@ApiTags('auth')
@Controller('api/auth')
export class GraphTokenController {
  constructor(private readonly graph: GraphTokenService) {}

  @Get('graph-token')
  @ApiBearerAuth()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "Microsoft Graph token for the signed-in OpenID user (on-behalf-of exchange of the reused IdP access token), LibreChat's shape" })
  @ApiQuery({ name: 'scopes', required: true, description: 'Space-separated Graph scopes' })
  @ApiOkResponse({ type: GraphTokenModel })
  @ApiErrors(
    OpenidErrors.GRAPH_REQUIRES_OPENID,
    OpenidErrors.GRAPH_REQUIRES_TOKEN_REUSE,
    OpenidErrors.GRAPH_SCOPES_REQUIRED,
    OpenidErrors.NO_FEDERATED_TOKEN,
    OpenidErrors.GRAPH_TOKEN_FAILED,
    OpenidErrors.IDP_UNAVAILABLE,
  )
  token(
    @CurrentUser() user: UserRecord,
    @Query('scopes') scopes: unknown,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<GraphToken> {
    return this.graph.forUser(user, scopes, { req, res });
  }
}
