import { Module } from '@nestjs/common';
import { MailModule } from './mail.module';
import { PasswordResetController } from './password-reset/password-reset.controller';
import { EmailVerificationController } from './verification/email-verification.controller';

/** The HTTP endpoints of the mail flows (LibreChat's paths and messages, spec §1.1, §1.3). */
@Module({
  imports: [MailModule],
  controllers: [PasswordResetController, EmailVerificationController],
})
export class MailApiModule {}
