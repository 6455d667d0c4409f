import { Body, Controller, Delete, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../common/errors';
import { RegistrationConfig } from '../config';
import type { UserRecord } from '../storage';
import { UsersService, toPublicUser } from '../users';
import { CurrentUser } from './guards/auth.decorators';
import { SecondFactorProofDto } from './second-factor/second-factor-proof.dto';
import { SecondFactorStep } from './second-factor/second-factor.step';
import { AuthErrors } from './auth.errors';
import { ApiErrors, Message, User } from '../common/openapi';
import { UsersErrors } from '../users';

@ApiTags('user')
@ApiBearerAuth()
@Controller('api/user')
export class UserController {
  constructor(
    private readonly usersService: UsersService,
    private readonly registration: RegistrationConfig,
    private readonly secondFactor: SecondFactorStep,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: User })
  me(@CurrentUser() user: UserRecord) {
    return toPublicUser(user);
  }

  @Delete('delete')
  @ApiOperation({ summary: 'Delete the own account with its sessions and tokens (ALLOW_ACCOUNT_DELETION)' })
  @ApiOkResponse({ type: Message, example: { message: 'User deleted' } })
  @ApiErrors(
    AuthErrors.ACCOUNT_DELETION_DISABLED,
    AuthErrors.SECOND_FACTOR_REQUIRED,
    AuthErrors.INVALID_SECOND_FACTOR,
    AuthErrors.SECOND_FACTOR_UNAVAILABLE,
    UsersErrors.USER_NOT_FOUND,
  )
  async deleteSelf(@CurrentUser() user: UserRecord, @Body() body: SecondFactorProofDto) {
    if (!this.registration.allowAccountDeletion && user.role !== 'ADMIN') {
      throw new DomainError(AuthErrors.ACCOUNT_DELETION_DISABLED);
    }
    // A 2FA account proves its second factor before it can be deleted (LibreChat's body {token | backupCode}).
    await this.secondFactor.confirm(user, { token: body?.token, backupCode: body?.backupCode });
    await this.usersService.deleteAccount(user.id, user.id);
    return { message: 'User deleted' };
  }
}
