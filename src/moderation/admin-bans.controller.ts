import { Controller, Delete, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { Roles } from '../common/access.decorators';
import { DomainError } from '../common/errors';
import { BansService } from './bans.service';
import { describeBan } from './ban-view';
import { ModerationErrors } from './moderation.errors';
import { ApiErrors, Ban, BanLifted } from '../common/openapi';

/** Ban administration for ADMIN users (the CLI offers the same). */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('ADMIN')
@Controller('api/admin/bans')
export class AdminBansController {
  constructor(private readonly bans: BansService) {}

  @Get()
  @ApiOperation({ summary: 'Active bans: key (`user:<id>` or `ip:<address>`), type, reason, expiry' })
  @ApiOkResponse({ type: [Ban] })
  async list() {
    return (await this.bans.list()).map(describeBan);
  }

  @Delete(':key')
  @ApiOperation({ summary: 'Lift a ban by its key; effective on the next request' })
  @ApiOkResponse({ type: BanLifted })
  @ApiErrors(ModerationErrors.INVALID_BAN_KEY, ModerationErrors.BAN_NOT_FOUND)
  async lift(@Param('key') key: string) {
    if (!/^(user|ip):.{1,200}$/.test(key)) throw new DomainError(ModerationErrors.INVALID_BAN_KEY);
    if (!(await this.bans.lift(key))) throw new DomainError(ModerationErrors.BAN_NOT_FOUND);
    return { message: 'Ban lifted', key };
  }
}
