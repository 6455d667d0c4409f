import { Module } from '@nestjs/common';
import { MailModule } from './mail.module';
import { PasswordResetController } from './password-reset/password-reset.controller';
import { EmailVerificationController } from './verification/email-verification.controller';

/** The HTTP endpoints of the mail flows (LibreChat's paths and messages, docs/librechat-differences.md#http-api). */
@Module({
  imports: [MailModule],
  controllers: [PasswordResetController, EmailVerificationController],
})
export class MailApiModule {}
