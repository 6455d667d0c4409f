import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/access.decorators';
import { RateLimit } from '../../moderation';
import { EmailOnlyDto, VerifyEmailDto } from '../dto/email.dto';
import { EmailVerificationService, VERIFIED_MESSAGE, VERIFY_SENT_MESSAGE } from './email-verification.service';
import { ApiErrors, EmailVerified, Message } from '../../common/openapi';
import { MailErrors } from '../mail.errors';

@ApiTags('user')
@Controller('api/user')
export class EmailVerificationController {
  constructor(private readonly verification: EmailVerificationService) {}

  @Post('verify')
  @Public()
  @RateLimit('verifyEmailSubmission')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm an email address with the token from the verification mail' })
  @ApiOkResponse({ type: EmailVerified, example: { message: VERIFIED_MESSAGE, status: 'success' } })
  @ApiErrors(MailErrors.INVALID_VERIFICATION_TOKEN)
  verify(@Body() body: VerifyEmailDto) {
    return this.verification.verify(body.email, body.token);
  }

  @Post('verify/resend')
  @Public()
  @RateLimit('verifyEmail')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a new verification mail. The same answer for every address.' })
  @ApiOkResponse({ type: Message, example: { message: VERIFY_SENT_MESSAGE } })
  resend(@Body() body: EmailOnlyDto) {
    return this.verification.resend(body.email);
  }
}
