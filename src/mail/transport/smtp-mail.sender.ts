import type { MailerService } from '@nestjs-modules/mailer';
import type { OnModuleDestroy } from '@nestjs/common';
import type { MailConfig } from '../../config';
import { MailDeliveryError, MailSender, type OutgoingMail } from './mail-sender';
import { sendTimeoutMs, smtpTransportOptions } from './smtp-options';

interface SmtpError {
  code?: string;
  responseCode?: number;
  command?: string;
  message?: string;
}

/**
 * Sends through the mailer module's nodemailer SMTP transport (pooled, smtp-options.ts). The
 * mailer is required here, when SMTP is the configured transport, not at boot by every start.
 */
export class SmtpMailSender extends MailSender implements OnModuleDestroy {
  readonly kind = 'smtp';
  private readonly mailer: MailerService;

  constructor(private readonly mail: MailConfig) {
    super();
    const { MailerService: Mailer } = require('@nestjs-modules/mailer') as typeof import('@nestjs-modules/mailer');
    const { createTransport } = require('nodemailer') as typeof import('nodemailer');
    const transport = smtpTransportOptions(mail);
    // The transport factory MailerModule would use by default: nodemailer's, on these options.
    this.mailer = new Mailer({ transport, sendTimeout: sendTimeoutMs(mail), verifyTransporters: false }, { createTransport: () => createTransport(transport) });
  }

  /** Closes the SMTP pool on shutdown. */
  async onModuleDestroy(): Promise<void> {
    await this.mailer.onModuleDestroy();
  }

  async send(message: OutgoingMail): Promise<void> {
    try {
      await this.mailer.sendMail({
        from: { name: this.mail.fromName, address: this.mail.from ?? '' },
        to: message.toName ? { name: message.toName, address: message.to } : message.to,
        subject: message.subject,
        html: message.html,
        text: message.text,
      });
    } catch (error) {
      throw describeSmtpError(error);
    }
  }
}

/**
 * One line naming what failed, built from the error's code and the server's reply code only:
 * the outbox logs and stores it, and the message body (with its link) must never end up there.
 */
export function describeSmtpError(error: unknown): MailDeliveryError {
  const e = (error ?? {}) as SmtpError;
  const parts = [e.code, e.responseCode, e.command].filter((p) => p !== undefined && p !== '');
  const reason = (e.message ?? String(error)).split('\n')[0].slice(0, 200);
  // A 5xx to RCPT TO is the server refusing this recipient for good; anything else may pass later.
  const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.command === 'RCPT TO';
  return new MailDeliveryError(`${parts.join(' ')}${parts.length ? ': ' : ''}${reason}`, permanent);
}
