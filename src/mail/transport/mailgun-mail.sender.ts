import type { MailConfig } from '../../config';
import { MailDeliveryError, MailSender, type OutgoingMail } from './mail-sender';

/** LibreChat's Mailgun option (docs/librechat-differences.md#environment-variables): its HTTP API, used when MAILGUN_API_KEY and MAILGUN_DOMAIN are set. */
export class MailgunMailSender extends MailSender {
  readonly kind = 'mailgun';

  constructor(private readonly mail: MailConfig) {
    super();
  }

  async send(message: OutgoingMail): Promise<void> {
    const mailgun = this.mail.mailgun;
    if (!mailgun) throw new MailDeliveryError('Mailgun is not configured', false);
    const form = new URLSearchParams({
      from: `${quote(this.mail.fromName)} <${this.mail.from ?? ''}>`,
      to: message.toName ? `${quote(message.toName)} <${message.to}>` : message.to,
      subject: message.subject,
      html: message.html,
      text: message.text,
      // Click tracking would rewrite the links through Mailgun's servers.
      'o:tracking-clicks': 'no',
    });
    let response: Response;
    try {
      response = await fetch(`${mailgun.host}/v3/${encodeURIComponent(mailgun.domain)}/messages`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`api:${mailgun.apiKey}`).toString('base64')}` },
        body: form,
        signal: AbortSignal.timeout(this.mail.timeouts.connectionMs + this.mail.timeouts.socketMs),
      });
    } catch (error) {
      throw new MailDeliveryError(`Mailgun unreachable: ${error instanceof Error ? error.name : 'error'}`, false);
    }
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return;
    // 4xx other than 429 means the request itself is wrong; retrying would only repeat it.
    const permanent = response.status >= 400 && response.status < 500 && response.status !== 429;
    throw new MailDeliveryError(`Mailgun answered ${response.status}`, permanent);
  }
}

function quote(name: string): string {
  return `"${name.replace(/["\\\r\n]/g, '')}"`;
}
