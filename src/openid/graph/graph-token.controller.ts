import { Controller, Get, Header, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser } from '../../auth';
import type { UserRecord } from '../../storage';
import { GraphTokenService, type GraphToken } from './graph-token.service';

@ApiTags('auth')
@Controller('api/auth')
export class GraphTokenController {
  constructor(private readonly graph: GraphTokenService) {}

  @Get('graph-token')
  @ApiBearerAuth()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "Microsoft Graph token for the signed-in OpenID user (on-behalf-of exchange of the reused IdP access token), LibreChat's shape" })
  token(@CurrentUser() user: UserRecord, @Query('scopes') scopes: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<GraphToken> {
    return this.graph.forUser(user, scopes, { req, res });
  }
}
