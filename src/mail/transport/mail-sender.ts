/** A rendered message, ready for the wire. */
export interface OutgoingMail {
  to: string;
  toName: string | null;
  subject: string;
  html: string;
  text: string;
}

/**
 * Raised by senders. `permanent`: retrying cannot help (the recipient was refused), so the
 * outbox gives the message up at once instead of retrying for hours.
 */
export class MailDeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'MailDeliveryError';
  }
}

/** The mail transport seam: SMTP through @nestjs-modules/mailer, Mailgun's HTTP API, or none. */
export abstract class MailSender {
  /** 'smtp', 'mailgun' or 'none'. */
  abstract readonly kind: string;
  abstract send(mail: OutgoingMail): Promise<void>;
}

/** Mail is not configured: nothing is ever queued, so this is never asked to send. */
export class DisabledMailSender extends MailSender {
  readonly kind = 'none';

  send(): Promise<void> {
    return Promise.reject(new MailDeliveryError('mail is not configured', false));
  }
}
