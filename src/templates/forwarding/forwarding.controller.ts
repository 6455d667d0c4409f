import { All, Controller, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiDefaultResponse, ApiOperation, ApiTags, ApiResponse } from '@nestjs/swagger';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { CurrentUser } from '../../auth';
import { RateLimit } from '../../moderation';
import type { UserRecord } from '../../storage';
import { UpstreamForwarder } from './upstream-forwarder';
import { ApiErrors } from '../../common/openapi';
import { TemplatesErrors } from '../templates.errors';

const FORWARDING_ERRORS = [
  TemplatesErrors.UPSTREAM_NOT_FOUND,
  TemplatesErrors.UPSTREAM_TIMEOUT,
  TemplatesErrors.UPSTREAM_UNAVAILABLE,
  TemplatesErrors.INVALID_UPSTREAM_PATH,
  TemplatesErrors.TEMPLATE_VALUE_REJECTED,
];

/**
 * Identity-aware forwarding to the upstreams of CONFIG_PATH: bearer-authenticated (which also
 * checks bans), rate-limited, with the caller's own Authorization and cookies stripped and the
 * configured headers resolved for the caller.
 */
@ApiTags('upstreams')
@ApiBearerAuth()
@Controller('api')
export class ForwardingController {
  constructor(private readonly forwarder: UpstreamForwarder) {}

  @All(['endpoints/:name', 'endpoints/:name/*'])
  @RateLimit('upstream')
  @ApiOperation({ summary: 'Forward to the custom endpoint <name> with its resolved headers' })
  @ApiResponse({ status: 200, description: "The upstream's answer as it came (any status, any type)", content: { '*/*': { schema: {} } } })
  // Upstream statuses pass through as they came (201, 302, 409, ...): documented as the default answer.
  @ApiDefaultResponse({ description: "The upstream's answer with the upstream's own status", content: { '*/*': { schema: {} } } })
  @ApiErrors(...FORWARDING_ERRORS)
  endpoint(@Param('name') name: string, @CurrentUser() user: UserRecord, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.forwarder.forward('endpoint', name, user, req, res);
  }

  @All(['mcp/:name', 'mcp/:name/*'])
  @RateLimit('upstream')
  @ApiOperation({ summary: 'Forward to the MCP server <name> (sse or streamable-http) with its resolved headers' })
  @ApiResponse({ status: 200, description: "The upstream's answer as it came (any status, any type)", content: { '*/*': { schema: {} } } })
  // Upstream statuses pass through as they came (201, 302, 409, ...): documented as the default answer.
  @ApiDefaultResponse({ description: "The upstream's answer with the upstream's own status", content: { '*/*': { schema: {} } } })
  @ApiErrors(...FORWARDING_ERRORS)
  mcp(@Param('name') name: string, @CurrentUser() user: UserRecord, @Req() req: FastifyRequest, @Res() res: FastifyReply) {
    return this.forwarder.forward('mcp', name, user, req, res);
  }
}
