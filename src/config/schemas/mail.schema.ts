import { z } from 'zod';
import { bool, email, duration, hostname, httpUrl, oneOf, optStr, port, secret, str } from '../fields/env-fields';
import { problem, together } from './issue';

export const mailSchema = z
  .object({
    EMAIL_SERVICE: optStr(),
    EMAIL_HOST: hostname(),
    EMAIL_PORT: port(25),
    EMAIL_ENCRYPTION: oneOf(['tls', 'starttls', 'none'] as const),
    EMAIL_ENCRYPTION_HOSTNAME: hostname(),
    EMAIL_ALLOW_SELFSIGNED: bool(false),
    EMAIL_USERNAME: optStr(),
    EMAIL_PASSWORD: secret(),
    EMAIL_FROM: email(),
    EMAIL_FROM_NAME: optStr(),
    EMAIL_TIMEOUT: duration(15_000, { min: 1_000, max: 300_000 }),
    MAILGUN_API_KEY: secret(),
    MAILGUN_DOMAIN: hostname(),
    MAILGUN_HOST: httpUrl('https://api.mailgun.net'),
    APP_TITLE: str('Gatehouse'),
  })
  .superRefine((v, ctx) => {
    together(ctx, ['EMAIL_USERNAME', v.EMAIL_USERNAME], ['EMAIL_PASSWORD', v.EMAIL_PASSWORD], 'SMTP AUTH needs both');
    together(ctx, ['MAILGUN_API_KEY', v.MAILGUN_API_KEY], ['MAILGUN_DOMAIN', v.MAILGUN_DOMAIN], 'Mailgun needs both');
    const configured = v.EMAIL_SERVICE ?? v.EMAIL_HOST ?? v.MAILGUN_API_KEY;
    if (configured !== undefined && v.EMAIL_FROM === undefined) {
      problem(ctx, 'EMAIL_FROM', 'is required when a mail transport (EMAIL_SERVICE, EMAIL_HOST or MAILGUN_API_KEY) is configured; expected e.g. noreply@example.com');
    }
  })
  .transform((v) => ({
    transport: v.MAILGUN_API_KEY ? ('mailgun' as const) : v.EMAIL_SERVICE || v.EMAIL_HOST ? ('smtp' as const) : null,
    service: v.EMAIL_SERVICE ?? null,
    host: v.EMAIL_HOST ?? null,
    port: v.EMAIL_PORT,
    encryption: v.EMAIL_ENCRYPTION ?? null,
    tlsServername: v.EMAIL_ENCRYPTION_HOSTNAME ?? null,
    allowSelfSigned: v.EMAIL_ALLOW_SELFSIGNED,
    username: v.EMAIL_USERNAME ?? null,
    password: v.EMAIL_PASSWORD ?? null,
    from: v.EMAIL_FROM ?? null,
    fromName: v.EMAIL_FROM_NAME ?? v.APP_TITLE,
    timeoutMs: v.EMAIL_TIMEOUT,
    mailgun: v.MAILGUN_API_KEY ? { apiKey: v.MAILGUN_API_KEY, domain: v.MAILGUN_DOMAIN ?? '', host: v.MAILGUN_HOST } : null,
  }));

export type MailSettings = z.output<typeof mailSchema>;
