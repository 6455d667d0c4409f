import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/access.decorators';
import { RateLimit } from '../../moderation';
import { EmailOnlyDto, ResetPasswordDto } from '../dto/email.dto';
import { RESET_DONE_MESSAGE, RESET_REQUESTED_MESSAGE, PasswordResetService } from './password-reset.service';
import { ApiErrors, Message, ResetLink, oneOfModels } from '../../common/openapi';
import { UsersErrors } from '../../users';
import { MailErrors } from '../mail.errors';

@ApiTags('auth')
@Controller('api/auth')
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetService) {}

  @Post('requestPasswordReset')
  @Public()
  @RateLimit('resetPassword')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mail a password reset link. The same answer whether or not the account exists.' })
  @ApiOkResponse({ schema: { ...oneOfModels(Message, ResetLink), example: { message: RESET_REQUESTED_MESSAGE } } })
  request(@Body() body: EmailOnlyDto) {
    return this.resets.request(body.email);
  }

  @Post('resetPassword')
  @Public()
  @RateLimit('resetPasswordSubmission')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set a new password with the token from the reset mail; ends every session of the account' })
  @ApiOkResponse({ type: Message, example: { message: RESET_DONE_MESSAGE } })
  @ApiErrors(
    MailErrors.INVALID_RESET_TOKEN,
    MailErrors.PASSWORD_RESET_DISABLED,
    MailErrors.PASSWORD_MISMATCH,
    UsersErrors.PASSWORD_BLANK,
    UsersErrors.PASSWORD_TOO_SHORT,
    UsersErrors.PASSWORD_TOO_LONG,
    UsersErrors.PASSWORD_TOO_COMMON,
  )
  reset(@Body() body: ResetPasswordDto) {
    return this.resets.reset({ userId: body.userId, token: body.token, password: body.password, confirmPassword: body.confirm_password });
  }
}
