import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configOf, problemsOf } from '../../test/support/config-results';
import { loadConfig, type Env } from './load-config';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-mail-config-'));
const load = (env: Env) => loadConfig({ DATA_DIR: tmp(), ...env });
const SMTP = { EMAIL_HOST: 'smtp.example.com', EMAIL_FROM: 'noreply@example.com' };

describe('mail configuration', () => {
  it('defaults: no transport, timeouts in seconds, 15-minute reset tokens, an outbox that backs off', () => {
    const { mail, registration } = configOf(load({}));
    expect(mail.transport).toBeNull();
    expect(mail.timeouts).toEqual({ connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000 });
    expect(mail.passwordResetTtlMs).toBe(15 * 60_000);
    expect(mail.outbox).toEqual({ pollIntervalMs: 5_000, initialDelayMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 12, leaseMs: 15_000 });
    expect(registration.allowInsecurePasswordReset).toBe(false);
  });

  it.each([
    ['tls', 'tls'],
    ['STARTTLS', 'starttls'],
    ['ssl', 'opportunistic'],
    ['', 'opportunistic'],
  ])('EMAIL_ENCRYPTION=%s means %s', (value, expected) => {
    expect(configOf(load({ ...SMTP, EMAIL_ENCRYPTION: value })).mail.encryption).toBe(expected);
  });

  it('names each bad mail variable at boot', () => {
    const problems = problemsOf(
      load({
        EMAIL_HOST: 'smtp://bad',
        EMAIL_FROM: 'not-an-address',
        EMAIL_PORT: '99999',
        EMAIL_SOCKET_TIMEOUT: '0',
        PASSWORD_RESET_TOKEN_EXPIRY: '1000',
        MAIL_RETRY_INITIAL_DELAY: '1000 * 60 * 60 * 2',
        ALLOW_INSECURE_PASSWORD_RESET: 'yes',
      }),
    );
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
      [
        'ALLOW_INSECURE_PASSWORD_RESET',
        'EMAIL_FROM',
        'EMAIL_HOST',
        'EMAIL_PORT',
        'EMAIL_SOCKET_TIMEOUT',
        'MAIL_RETRY_INITIAL_DELAY',
        'PASSWORD_RESET_TOKEN_EXPIRY',
      ].sort(),
    );
    // Cross-field rules are reported once every variable parses on its own.
    expect(problemsOf(load({ ...SMTP, EMAIL_USERNAME: 'only-user' }))).toEqual([
      'EMAIL_PASSWORD: is required when EMAIL_USERNAME is set (SMTP AUTH needs both)',
    ]);
    expect(problemsOf(load({ ...SMTP, EMAIL_TLS_CA_FILE: '/nonexistent/ca.pem' }))).toEqual([
      'EMAIL_TLS_CA_FILE: "/nonexistent/ca.pem" is not a readable PEM certificate file',
    ]);
    expect(problemsOf(load({ ...SMTP, MAIL_RETRY_INITIAL_DELAY: '60000', MAIL_RETRY_MAX_DELAY: '1000' }))[0]).toMatch(
      /^MAIL_RETRY_INITIAL_DELAY: .*must not exceed MAIL_RETRY_MAX_DELAY/,
    );
  });

  it('takes the sender name from EMAIL_FROM_NAME, else from a "Name <address>" EMAIL_FROM, else APP_TITLE', () => {
    expect(configOf(load({ ...SMTP, EMAIL_FROM: '"Acme Chat" <noreply@acme.test>' })).mail).toMatchObject({ from: 'noreply@acme.test', fromName: 'Acme Chat' });
    expect(configOf(load({ ...SMTP, EMAIL_FROM: 'Acme <noreply@acme.test>', EMAIL_FROM_NAME: 'Other' })).mail).toMatchObject({
      from: 'noreply@acme.test',
      fromName: 'Other',
    });
    expect(configOf(load({ ...SMTP, APP_TITLE: 'Title' })).mail).toMatchObject({ from: 'noreply@example.com', fromName: 'Title' });
  });

  it('reads EMAIL_TLS_CA_FILE at boot', () => {
    const file = path.join(tmp(), 'ca.pem');
    fs.writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(configOf(load({ ...SMTP, EMAIL_TLS_CA_FILE: file })).mail.tlsCa).toContain('BEGIN CERTIFICATE');
  });

  it('warns loudly when the insecure reset is on, and says when it has no effect', () => {
    const insecure = configOf(load({ ALLOW_PASSWORD_RESET: 'true', ALLOW_INSECURE_PASSWORD_RESET: 'true' }));
    expect(insecure.warnings.join('\n')).toMatch(/ALLOW_INSECURE_PASSWORD_RESET: INSECURE .* any account can be taken over/);
    const withMail = configOf(load({ ...SMTP, ALLOW_PASSWORD_RESET: 'true', ALLOW_INSECURE_PASSWORD_RESET: 'true' }));
    expect(withMail.warnings.join('\n')).toMatch(/ALLOW_INSECURE_PASSWORD_RESET: has no effect while mail is configured/);
    const noMail = configOf(load({ ALLOW_PASSWORD_RESET: 'true' }));
    expect(noMail.warnings.join('\n')).toMatch(/ALLOW_PASSWORD_RESET: mail is not configured.*reset-password/);
    expect(configOf(load({ ...SMTP, EMAIL_ALLOW_SELFSIGNED: 'true' })).warnings.join('\n')).toMatch(/EMAIL_ALLOW_SELFSIGNED/);
  });
});
