import type { MailConfig } from '../../config';
import { describeSmtpError } from './smtp-mail.sender';
import { sendTimeoutMs, smtpTransportOptions } from './smtp-options';

const base: MailConfig = {
  transport: 'smtp',
  service: null,
  host: 'smtp.example.com',
  port: 587,
  encryption: 'opportunistic',
  tlsServername: null,
  allowSelfSigned: false,
  tlsCa: null,
  username: null,
  password: null,
  from: 'noreply@example.com',
  fromName: 'Gatehouse',
  timeouts: { connectionMs: 10_000, greetingMs: 5_000, socketMs: 30_000 },
  mailgun: null,
  passwordResetTtlMs: 900_000,
  verificationTtlMs: 86_400_000,
  outbox: { pollIntervalMs: 5_000, initialDelayMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 12, leaseMs: 15_000 },
};

describe('smtpTransportOptions', () => {
  it('RL-04 sets every timeout explicitly, in milliseconds from the configured seconds', () => {
    const options = smtpTransportOptions(base);
    expect(options).toMatchObject({ connectionTimeout: 10_000, greetingTimeout: 5_000, socketTimeout: 30_000 });
    expect(sendTimeoutMs(base)).toBe(75_000);
  });

  it('verifies certificates by default; opportunistic STARTTLS neither forces TLS nor requires it', () => {
    const options = smtpTransportOptions(base);
    expect(options.tls).toMatchObject({ rejectUnauthorized: true, minVersion: 'TLSv1.2' });
    expect(options.secure).toBeUndefined();
    expect(options.requireTLS).toBeUndefined();
    expect(options.auth).toBeUndefined();
  });

  it('starttls requires the upgrade (requireTLS, not LibreChat’s ignored requireTls: LibreChat defect D-30)', () => {
    const options = smtpTransportOptions({ ...base, encryption: 'starttls' });
    expect(options).toMatchObject({ secure: false, requireTLS: true });
    expect(options).not.toHaveProperty('requireTls');
  });

  it('tls means implicit TLS; servername, CA and self-signed switch pass through', () => {
    const options = smtpTransportOptions({ ...base, encryption: 'tls', tlsServername: 'mail.internal', tlsCa: 'PEM', allowSelfSigned: true });
    expect(options.secure).toBe(true);
    expect(options.tls).toMatchObject({ servername: 'mail.internal', ca: 'PEM', rejectUnauthorized: false });
  });

  it('EMAIL_SERVICE wins over host and port; credentials only as a pair', () => {
    const options = smtpTransportOptions({ ...base, service: 'gmail', username: 'u', password: 'p' });
    expect(options.service).toBe('gmail');
    expect(options.host).toBeUndefined();
    expect(options.port).toBeUndefined();
    expect(options.auth).toEqual({ user: 'u', pass: 'p' });
  });
});

describe('describeSmtpError', () => {
  it('keeps codes and the first line only, and treats only a refused recipient as permanent', () => {
    const refused = describeSmtpError(Object.assign(new Error('Recipient refused\nsecond line'), { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }));
    expect(refused.message).toBe('EENVELOPE 550 RCPT TO: Recipient refused');
    expect(refused.permanent).toBe(true);
    expect(describeSmtpError(Object.assign(new Error('Invalid login'), { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' })).permanent).toBe(false);
    expect(describeSmtpError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' })).permanent).toBe(false);
  });
});
