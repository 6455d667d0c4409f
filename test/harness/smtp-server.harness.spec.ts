import { createTransport } from 'nodemailer';
import { startSmtpServer, type SmtpServerHandle } from '../support/smtp/smtp-server.harness';

const AUTH = { username: 'mailer', password: 's3cret' };
const MAIL = {
  from: 'Gatehouse <noreply@gatehouse.test>',
  to: 'alice@example.test',
  subject: 'Verify your email',
  text: 'Your code is 123456',
  html: '<p>Your code is <b>123456</b></p>',
};

describe('SMTP harness: STARTTLS with AUTH', () => {
  let smtp: SmtpServerHandle;
  beforeAll(async () => {
    smtp = await startSmtpServer({ mode: 'starttls', auth: AUTH });
  });
  afterAll(() => smtp?.stop());
  afterEach(() => smtp.clear());

  const transport = (overrides: Record<string, unknown> = {}) =>
    createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: false,
      requireTLS: true,
      auth: { user: AUTH.username, pass: AUTH.password },
      tls: { ca: smtp.ca },
      connectionTimeout: 5_000,
      ...overrides,
    });

  it('delivers over an upgraded, authenticated session to a client trusting the harness CA', async () => {
    expect(smtp.ca).toMatch(/BEGIN CERTIFICATE/);
    const info = await transport().sendMail(MAIL);
    expect(info.accepted).toEqual(['alice@example.test']);

    const mail = await smtp.waitForMessage((m) => m.subject === MAIL.subject);
    expect(mail).toMatchObject({
      from: 'noreply@gatehouse.test',
      to: ['alice@example.test'],
      subject: 'Verify your email',
      secure: true,
      user: 'mailer',
      envelope: { mailFrom: 'noreply@gatehouse.test', rcptTo: ['alice@example.test'] },
    });
    expect(mail.text?.trim()).toBe(MAIL.text);
    expect(mail.html).toContain('<b>123456</b>');
    expect(mail.headers.get('subject')).toBe(MAIL.subject);
  });

  it('fails the handshake for a client that does not trust the certificate', async () => {
    const untrusting = transport({ tls: { rejectUnauthorized: true } });
    await expect(untrusting.sendMail(MAIL)).rejects.toThrow(/self[- ]signed certificate/i);
    expect(smtp.messages).toHaveLength(0);
  });

  it('rejects a wrong password with 535', async () => {
    const wrong = transport({ auth: { user: AUTH.username, pass: 'wrong' } });
    await expect(wrong.sendMail(MAIL)).rejects.toMatchObject({ code: 'EAUTH', responseCode: 535 });
    expect(smtp.messages).toHaveLength(0);
  });

  it('waits for a message that has not arrived yet, and times out when none matches', async () => {
    const waiting = smtp.waitForMessage((m) => m.to.includes('bob@example.test'), 5_000);
    await transport().sendMail({ ...MAIL, to: 'bob@example.test' });
    expect((await waiting).to).toEqual(['bob@example.test']);
    await expect(smtp.waitForMessage((m) => m.subject === 'never', 50)).rejects.toThrow(/no matching mail/);
  });
});

describe('SMTP harness: plain mode and faults', () => {
  let smtp: SmtpServerHandle;
  beforeAll(async () => {
    smtp = await startSmtpServer({ mode: 'plain' });
  });
  afterAll(() => smtp?.stop());
  afterEach(() => {
    smtp.clear();
    smtp.setFault(undefined);
    smtp.setDelay(0);
  });

  const transport = () => createTransport({ host: smtp.host, port: smtp.port, secure: false, ignoreTLS: true });

  it('round-trips a message without TLS or AUTH', async () => {
    expect(smtp.ca).toBeUndefined();
    await transport().sendMail(MAIL);
    const mail = await smtp.waitForMessage();
    expect(mail).toMatchObject({ subject: MAIL.subject, to: ['alice@example.test'], secure: false, user: undefined });
  });

  it('does not offer STARTTLS, so a client requiring TLS fails', async () => {
    const strict = createTransport({ host: smtp.host, port: smtp.port, secure: false, requireTLS: true });
    await expect(strict.sendMail(MAIL)).rejects.toThrow(/STARTTLS/);
  });

  it('simulates transient and permanent failures, then recovers', async () => {
    smtp.setFault({ stage: 'rcpt', code: 451, message: 'Try again later' });
    await expect(transport().sendMail(MAIL)).rejects.toMatchObject({ responseCode: 451 });
    smtp.setFault({ stage: 'data', code: 554 });
    await expect(transport().sendMail(MAIL)).rejects.toMatchObject({ responseCode: 554 });
    expect(smtp.messages).toHaveLength(0);

    smtp.setFault(undefined);
    smtp.setDelay(200);
    const started = Date.now();
    await transport().sendMail(MAIL);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(smtp.messages).toHaveLength(1);
  });
});

describe('SMTP harness: implicit TLS and rejectAll', () => {
  it('accepts TLS from the first byte and can reject every message', async () => {
    const smtp = await startSmtpServer({ mode: 'implicitTls', rejectAll: true });
    try {
      const transport = createTransport({ host: smtp.host, port: smtp.port, secure: true, tls: { ca: smtp.ca } });
      await expect(transport.verify()).resolves.toBe(true);
      await expect(transport.sendMail(MAIL)).rejects.toMatchObject({ responseCode: 550 });
      expect(smtp.messages).toHaveLength(0);
    } finally {
      await smtp.stop();
    }
  });
});
