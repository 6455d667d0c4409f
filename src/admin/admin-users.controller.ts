import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentAuth, type AccessClaims } from '../auth';
import { sessionContextOf } from '../sessions';
import { Roles } from '../common/access.decorators';
import { CommonErrors } from '../common/errors';
import { ApiErrors } from '../common/openapi';
import { UsersErrors } from '../users';
import { AdminErrors } from './admin.errors';
import { AdminActionResult, AdminSessionView, AdminUserPage, AdminUserView } from './admin-user.view';
import { AdminUsersService, type AdminActor } from './admin-users.service';
import { DEFAULT_PAGE_SIZE, UserSearchQueryDto } from './dto/user-search.query';

const actorOf = (auth: AccessClaims, req: FastifyRequest): AdminActor => {
  const context = sessionContextOf(req);
  return { userId: auth.id, ip: context.ip, userAgent: context.userAgent };
};

/** Account administration for ADMIN users (docs/admin.md). Thin: each handler calls one use case. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('ADMIN')
@Controller('api/admin/users')
export class AdminUsersController {
  constructor(private readonly admin: AdminUsersService) {}

  @Get()
  @ApiOperation({ summary: 'Search accounts by email, name or username; oldest first, a page at a time' })
  @ApiOkResponse({ type: AdminUserPage })
  @ApiErrors(CommonErrors.VALIDATION_FAILED, CommonErrors.INVALID_CURSOR)
  search(@Query() query: UserSearchQueryDto): Promise<AdminUserPage> {
    return this.admin.search(query.search, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One account' })
  @ApiOkResponse({ type: AdminUserView })
  @ApiErrors(UsersErrors.USER_NOT_FOUND)
  get(@Param('id') id: string): Promise<AdminUserView> {
    return this.admin.get(id);
  }

  @Get(':id/sessions')
  @ApiOperation({ summary: "The account's active refresh sessions" })
  @ApiOkResponse({ type: [AdminSessionView] })
  @ApiErrors(UsersErrors.USER_NOT_FOUND)
  sessions(@Param('id') id: string): Promise<AdminSessionView[]> {
    return this.admin.listSessions(id);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable the account: no sign-in by any method, no refresh, no bearer access; its sessions end now' })
  @ApiOkResponse({ type: AdminActionResult })
  @ApiErrors(UsersErrors.USER_NOT_FOUND, AdminErrors.CANNOT_ACT_ON_SELF)
  async disable(@CurrentAuth() auth: AccessClaims, @Req() req: FastifyRequest, @Param('id') id: string): Promise<AdminActionResult> {
    const { user, endedSessions } = await this.admin.disable(actorOf(auth, req), id);
    return { message: 'Account disabled', user, endedSessions };
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled account' })
  @ApiOkResponse({ type: AdminActionResult })
  @ApiErrors(UsersErrors.USER_NOT_FOUND)
  async enable(@CurrentAuth() auth: AccessClaims, @Req() req: FastifyRequest, @Param('id') id: string): Promise<AdminActionResult> {
    const { user } = await this.admin.enable(actorOf(auth, req), id);
    return { message: 'Account enabled', user };
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete the account with its sessions, tokens and stored IdP tokens' })
  @ApiOkResponse({ type: AdminActionResult })
  @ApiErrors(UsersErrors.USER_NOT_FOUND, AdminErrors.CANNOT_ACT_ON_SELF)
  async delete(@CurrentAuth() auth: AccessClaims, @Req() req: FastifyRequest, @Param('id') id: string): Promise<AdminActionResult> {
    await this.admin.delete(actorOf(auth, req), id);
    return { message: 'Account deleted' };
  }

  @Post(':id/2fa/reset')
  @HttpCode(200)
  @ApiOperation({ summary: "Remove the TOTP factor and backup codes (lost authenticator); the account's sessions end" })
  @ApiOkResponse({ type: AdminActionResult })
  @ApiErrors(UsersErrors.USER_NOT_FOUND)
  async resetTwoFactor(@CurrentAuth() auth: AccessClaims, @Req() req: FastifyRequest, @Param('id') id: string): Promise<AdminActionResult> {
    const { endedSessions } = await this.admin.resetTwoFactor(actorOf(auth, req), id);
    return { message: 'Two-factor authentication reset', endedSessions };
  }

  @Post(':id/sessions/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'End every session of the account (refresh sessions and token-reuse logins)' })
  @ApiOkResponse({ type: AdminActionResult })
  @ApiErrors(UsersErrors.USER_NOT_FOUND)
  async revokeSessions(@CurrentAuth() auth: AccessClaims, @Req() req: FastifyRequest, @Param('id') id: string): Promise<AdminActionResult> {
    const { endedSessions } = await this.admin.revokeSessions(actorOf(auth, req), id);
    return { message: 'Sessions revoked', endedSessions };
  }
}
