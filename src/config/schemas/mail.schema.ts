import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { bool, count, duration, email, hostname, httpUrl, int, optStr, port, secret, str } from '../fields/env-fields';
import { problem, together } from './issue';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * How the SMTP connection is secured. LibreChat documents `tls` (implicit TLS) and `starttls`
 * (meant to require STARTTLS, but its code sets `requireTls`, which nodemailer ignores —
 * LibreChat defect D-30 in docs/librechat-differences.md). Here `starttls` really refuses to
 * send without the upgrade; any other value keeps nodemailer's opportunistic STARTTLS, as in
 * LibreChat.
 */
export type SmtpEncryption = 'tls' | 'starttls' | 'opportunistic';

function encryptionOf(raw: string | undefined): SmtpEncryption {
  const value = raw?.trim().toLowerCase();
  return value === 'tls' || value === 'starttls' ? value : 'opportunistic';
}

/** EMAIL_FROM may be `noreply@example.com` or `Name <noreply@example.com>` (both are documented). */
function splitFrom(raw: string | undefined): { address: string | null; name: string | null } {
  if (raw === undefined) return { address: null, name: null };
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(raw);
  return match ? { address: match[2].trim(), name: match[1].trim() || null } : { address: raw.trim(), name: null };
}

function readCa(file: string): string | null {
  try {
    const pem = readFileSync(file, 'utf8');
    return pem.includes('-----BEGIN CERTIFICATE-----') ? pem : null;
  } catch {
    return null;
  }
}

export const mailSchema = z
  .object({
    EMAIL_SERVICE: optStr(),
    EMAIL_HOST: hostname(),
    EMAIL_PORT: port(25),
    EMAIL_ENCRYPTION: optStr(),
    EMAIL_ENCRYPTION_HOSTNAME: hostname(),
    EMAIL_ALLOW_SELFSIGNED: bool(false),
    // PEM file of extra certificate authorities to trust for the SMTP server (a private CA).
    EMAIL_TLS_CA_FILE: optStr(),
    EMAIL_USERNAME: optStr(),
    EMAIL_PASSWORD: secret(),
    EMAIL_FROM: email(),
    EMAIL_FROM_NAME: optStr(),
    // Seconds, not nodemailer's defaults of 2 minutes (connect) and 10 minutes (idle): RL-04.
    EMAIL_CONNECTION_TIMEOUT: int(10, { min: 1, max: 300 }),
    EMAIL_GREETING_TIMEOUT: int(10, { min: 1, max: 300 }),
    EMAIL_SOCKET_TIMEOUT: int(30, { min: 1, max: 600 }),
    MAILGUN_API_KEY: secret(),
    MAILGUN_DOMAIN: hostname(),
    MAILGUN_HOST: httpUrl('https://api.mailgun.net'),
    APP_TITLE: str('Gatehouse'),
    // One-time token lifetimes (RS-01: reset links are short-lived).
    PASSWORD_RESET_TOKEN_EXPIRY: duration(15 * MINUTE, { min: MINUTE, max: 24 * HOUR }),
    EMAIL_VERIFICATION_TOKEN_EXPIRY: duration(24 * HOUR, { min: MINUTE, max: 7 * 24 * HOUR }),
    // Outbox worker: how often it looks for due mail, and the retry back-off.
    MAIL_OUTBOX_POLL_INTERVAL: duration(5 * SECOND, { min: 10, max: 10 * MINUTE }),
    MAIL_RETRY_INITIAL_DELAY: duration(30 * SECOND, { min: 10, max: HOUR }),
    MAIL_RETRY_MAX_DELAY: duration(HOUR, { min: 10, max: 24 * HOUR }),
    MAIL_MAX_ATTEMPTS: count(12, { min: 1, max: 100 }),
    // A claim on a message expires this long after its last renewal, so mail leased by a process
    // that died is sent again soon after a restart (RL-13); a live sender renews it while sending.
    MAIL_OUTBOX_LEASE: duration(15 * SECOND, { min: SECOND, max: 10 * MINUTE }),
  })
  .superRefine((v, ctx) => {
    together(ctx, ['EMAIL_USERNAME', v.EMAIL_USERNAME], ['EMAIL_PASSWORD', v.EMAIL_PASSWORD], 'SMTP AUTH needs both');
    together(ctx, ['MAILGUN_API_KEY', v.MAILGUN_API_KEY], ['MAILGUN_DOMAIN', v.MAILGUN_DOMAIN], 'Mailgun needs both');
    const configured = v.EMAIL_SERVICE ?? v.EMAIL_HOST ?? v.MAILGUN_API_KEY;
    if (configured !== undefined && v.EMAIL_FROM === undefined) {
      problem(
        ctx,
        'EMAIL_FROM',
        'is required when a mail transport (EMAIL_SERVICE, EMAIL_HOST or MAILGUN_API_KEY) is configured; expected e.g. noreply@example.com',
      );
    }
    if (v.EMAIL_TLS_CA_FILE !== undefined && readCa(v.EMAIL_TLS_CA_FILE) === null) {
      problem(ctx, 'EMAIL_TLS_CA_FILE', `${JSON.stringify(v.EMAIL_TLS_CA_FILE)} is not a readable PEM certificate file`);
    }
    if (v.MAIL_RETRY_INITIAL_DELAY > v.MAIL_RETRY_MAX_DELAY) {
      problem(ctx, 'MAIL_RETRY_INITIAL_DELAY', `(${v.MAIL_RETRY_INITIAL_DELAY} ms) must not exceed MAIL_RETRY_MAX_DELAY (${v.MAIL_RETRY_MAX_DELAY} ms)`);
    }
  })
  .transform((v) => ({
    transport: v.MAILGUN_API_KEY ? ('mailgun' as const) : v.EMAIL_SERVICE || v.EMAIL_HOST ? ('smtp' as const) : null,
    service: v.EMAIL_SERVICE ?? null,
    host: v.EMAIL_HOST ?? null,
    port: v.EMAIL_PORT,
    encryption: encryptionOf(v.EMAIL_ENCRYPTION),
    tlsServername: v.EMAIL_ENCRYPTION_HOSTNAME ?? null,
    allowSelfSigned: v.EMAIL_ALLOW_SELFSIGNED,
    tlsCa: v.EMAIL_TLS_CA_FILE === undefined ? null : readCa(v.EMAIL_TLS_CA_FILE),
    username: v.EMAIL_USERNAME ?? null,
    password: v.EMAIL_PASSWORD ?? null,
    from: splitFrom(v.EMAIL_FROM).address,
    fromName: v.EMAIL_FROM_NAME ?? splitFrom(v.EMAIL_FROM).name ?? v.APP_TITLE,
    timeouts: {
      connectionMs: v.EMAIL_CONNECTION_TIMEOUT * SECOND,
      greetingMs: v.EMAIL_GREETING_TIMEOUT * SECOND,
      socketMs: v.EMAIL_SOCKET_TIMEOUT * SECOND,
    },
    mailgun: v.MAILGUN_API_KEY ? { apiKey: v.MAILGUN_API_KEY, domain: v.MAILGUN_DOMAIN ?? '', host: v.MAILGUN_HOST } : null,
    passwordResetTtlMs: v.PASSWORD_RESET_TOKEN_EXPIRY,
    verificationTtlMs: v.EMAIL_VERIFICATION_TOKEN_EXPIRY,
    outbox: {
      pollIntervalMs: v.MAIL_OUTBOX_POLL_INTERVAL,
      initialDelayMs: v.MAIL_RETRY_INITIAL_DELAY,
      maxDelayMs: v.MAIL_RETRY_MAX_DELAY,
      maxAttempts: v.MAIL_MAX_ATTEMPTS,
      leaseMs: v.MAIL_OUTBOX_LEASE,
    },
  }));

export type MailSettings = z.output<typeof mailSchema>;
