import { Body, Controller, Delete, Get, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { addressKey, normaliseIp } from '../common/client-ip';
import { parseHumanDuration } from '../common/human-duration';
import { ServerConfig } from '../config';
import { CreateBanDto } from './dto/create-ban.dto';
import { Roles } from '../common/access.decorators';
import { DomainError } from '../common/errors';
import { BansService } from './bans.service';
import { describeBan } from './ban-view';
import { ModerationErrors } from './moderation.errors';
import { ApiErrors, Ban, BanLifted } from '../common/openapi';

/** The signed-in admin (the bearer guard stored the claims; the route is ADMIN-only, so they are there). */
const adminId = (req: FastifyRequest): string => String((req as FastifyRequest & { auth?: { id?: string } }).auth?.id ?? 'unknown');

/** Ban administration for ADMIN users (the CLI offers the same). */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('ADMIN')
@Controller('api/admin/bans')
export class AdminBansController {
  constructor(
    private readonly bans: BansService,
    private readonly server: ServerConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Active bans: key (`user:<id>` or `ip:<address>`), type, reason, expiry' })
  @ApiOkResponse({ type: [Ban] })
  async list() {
    return (await this.bans.list()).map(describeBan);
  }

  @Post()
  @ApiOperation({ summary: 'Ban a client address for a duration (accounts are banned with the CLI `ban-user`)' })
  @ApiCreatedResponse({ type: Ban, description: 'The ban, in the shape of the list' })
  @ApiErrors(ModerationErrors.INVALID_DURATION)
  async create(@Req() req: FastifyRequest, @Body() body: CreateBanDto) {
    const durationMs = parseHumanDuration(body.duration);
    if (durationMs === null) throw new DomainError(ModerationErrors.INVALID_DURATION);
    // The same key the limiter and automatic bans use for this address (IPv6: its network).
    const ip = addressKey(normaliseIp(body.ip), this.server.ipv6SubnetPrefix);
    const reason = body.reason ?? 'banned by an administrator';
    const expiresAt = await this.bans.ban({ ip }, { type: 'manual', reason, violationCount: 0, durationMs, actorId: adminId(req) });
    const created = (await this.bans.list()).find((ban) => ban.subject === `ip:${ip}`);
    // Lifted or replaced between the write and the read: answer what was written, still a full Ban.
    const written = {
      subject: `ip:${ip}`,
      type: 'manual',
      reason,
      violationCount: 0,
      userId: null,
      createdAt: new Date(expiresAt.getTime() - durationMs),
      expiresAt,
    };
    return describeBan(created ?? written);
  }

  @Delete(':key')
  @ApiOperation({ summary: 'Lift a ban by its key; effective on the next request' })
  @ApiOkResponse({ type: BanLifted })
  @ApiErrors(ModerationErrors.INVALID_BAN_KEY, ModerationErrors.BAN_NOT_FOUND)
  async lift(@Req() req: FastifyRequest, @Param('key') key: string) {
    if (!/^(user|ip):.{1,200}$/.test(key)) throw new DomainError(ModerationErrors.INVALID_BAN_KEY);
    if (!(await this.bans.lift(key, adminId(req)))) throw new DomainError(ModerationErrors.BAN_NOT_FOUND);
    return { message: 'Ban lifted', key };
  }
}
