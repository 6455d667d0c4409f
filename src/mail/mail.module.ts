import { Module } from '@nestjs/common';
import { MailConfig, SecretsConfig } from '../config';
import { CrashPoints } from '../common/crash-point';
import { SessionsModule } from '../sessions';
import { UsersModule } from '../users';
import { InviteService } from './invites/invite.service';
import { BackgroundTasks } from './outbox/background-tasks';
import { MailOutbox } from './outbox/mail-outbox';
import { OutboxMonitor } from './outbox/outbox-monitor';
import { OutboxWorker } from './outbox/outbox-worker';
import { MailPayloadSeal } from './outbox/sealed-payload';
import { PasswordResetService } from './password-reset/password-reset.service';
import { MailRenderer } from './templates/mail-renderer';
import { TokenIssuer } from './token-issuer';
import { DisabledMailSender, MailSender } from './transport/mail-sender';
import { MailgunMailSender } from './transport/mailgun-mail.sender';
import { SmtpMailSender } from './transport/smtp-mail.sender';
import { EmailVerificationService } from './verification/email-verification.service';
import { PendingCredentialsSeal } from './verification/pending-credentials.seal';

// Only the configured transport's code is loaded: with EMAIL_* unset, neither the mailer module
// nor nodemailer is required at boot (SmtpMailSender requires them when it is built).
function mailSender(mail: MailConfig): MailSender {
  if (mail.transport === 'smtp') return new SmtpMailSender(mail);
  if (mail.transport === 'mailgun') return new MailgunMailSender(mail);
  return new DisabledMailSender();
}

/**
 * Mail: transport, templates, the outbox and its worker, and the flows that send mail (email
 * verification, password reset, invites). HTTP endpoints live in MailApiModule so the CLI can
 * use these services without them.
 */
@Module({
  imports: [UsersModule, SessionsModule],
  providers: [
    { provide: MailSender, inject: [MailConfig], useFactory: mailSender },
    { provide: MailPayloadSeal, inject: [SecretsConfig], useFactory: (secrets: SecretsConfig) => new MailPayloadSeal(secrets.credsKey) },
    MailRenderer,
    TokenIssuer,
    OutboxWorker,
    MailOutbox,
    CrashPoints,
    OutboxMonitor,
    BackgroundTasks,
    EmailVerificationService,
    PendingCredentialsSeal,
    PasswordResetService,
    InviteService,
  ],
  exports: [OutboxWorker, OutboxMonitor, BackgroundTasks, EmailVerificationService, PasswordResetService, InviteService],
})
export class MailModule {}
