import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { MailConfig } from '../../config';

/** Upper bound for one delivery attempt: connect, greet, then a few idle-bounded exchanges. */
export function sendTimeoutMs(mail: MailConfig): number {
  const { connectionMs, greetingMs, socketMs } = mail.timeouts;
  return connectionMs + greetingMs + 2 * socketMs;
}

/**
 * nodemailer SMTP options from LibreChat's EMAIL_* variables (docs/librechat-differences.md#environment-variables), with these choices:
 * - `starttls` sets `requireTLS`, so an SMTP server without STARTTLS (or a downgrade that strips
 *   it) fails the send instead of carrying reset links in clear (LibreChat defect D-30 fixed, docs/librechat-differences.md).
 * - Certificates are verified unless EMAIL_ALLOW_SELFSIGNED; TLS 1.2 at least.
 * - Explicit timeouts in seconds (nodemailer's defaults are minutes): RL-04.
 * - A small connection pool: a backlog after an outage drains without one handshake per mail.
 */
export function smtpTransportOptions(mail: MailConfig): SMTPPool.Options {
  const options: SMTPPool.Options = {
    pool: true,
    maxConnections: 2,
    maxMessages: 100,
    connectionTimeout: mail.timeouts.connectionMs,
    greetingTimeout: mail.timeouts.greetingMs,
    socketTimeout: mail.timeouts.socketMs,
    dnsTimeout: mail.timeouts.connectionMs,
    tls: {
      rejectUnauthorized: !mail.allowSelfSigned,
      minVersion: 'TLSv1.2',
      ...(mail.tlsServername ? { servername: mail.tlsServername } : {}),
      ...(mail.tlsCa ? { ca: mail.tlsCa } : {}),
    },
  };
  if (mail.service) {
    // A well-known service brings its own host, port and TLS mode; only explicit choices override.
    options.service = mail.service;
  } else {
    options.host = mail.host ?? undefined;
    options.port = mail.port;
  }
  if (mail.encryption === 'tls') options.secure = true;
  if (mail.encryption === 'starttls') {
    options.secure = false;
    options.requireTLS = true;
  }
  if (mail.username && mail.password) options.auth = { user: mail.username, pass: mail.password };
  return options;
}
