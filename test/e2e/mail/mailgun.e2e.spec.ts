import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutboxRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { register, startAuthApp } from '../auth/auth-helpers';
import { CLIENT, eventually, settleOutbox } from './mail-helpers';

interface MailgunCall {
  path: string;
  authorization: string | undefined;
  form: URLSearchParams;
}

/**
 * A loopback stand-in for Mailgun's messages API (POST /v3/<domain>/messages, form-encoded, basic
 * auth "api:<key>"), answering with the status the test sets.
 */
async function startFakeMailgun() {
  const calls: MailgunCall[] = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push({ path: req.url ?? '', authorization: req.headers.authorization, form: new URLSearchParams(body) });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ id: '<x@mailgun>', message: 'Queued. Thank you.' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    setStatus: (s: number) => (status = s),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('mail over the Mailgun API (MAILGUN_API_KEY + MAILGUN_DOMAIN)', () => {
  let mailgun: Awaited<ReturnType<typeof startFakeMailgun>>;
  let app: RunningApp;
  beforeAll(async () => {
    mailgun = await startFakeMailgun();
    app = await startAuthApp({
      DOMAIN_CLIENT: CLIENT,
      MAILGUN_API_KEY: 'key-test',
      MAILGUN_DOMAIN: 'mg.example.test',
      MAILGUN_HOST: mailgun.url,
      EMAIL_FROM: 'noreply@example.test',
      MAIL_OUTBOX_POLL_INTERVAL: '50',
      MAIL_RETRY_INITIAL_DELAY: '100',
      MAIL_RETRY_MAX_DELAY: '200',
    });
  });
  afterAll(async () => {
    await app.stop();
    await mailgun.stop();
  });

  it('posts the verification mail with basic auth and click tracking off; a 5xx is retried', async () => {
    mailgun.setStatus(503);
    expect((await register(new HttpClient(app.url), 'gun@example.com')).status).toBe(200);
    await eventually(() => (mailgun.calls.length >= 2 ? true : undefined), 8_000, 'a retried call');
    mailgun.setStatus(200);
    const outbox = app.app.get(OutboxRepository);
    await eventually(async () => ((await outbox.countByStatus()).sent === 1 ? true : undefined), 8_000, 'a sent mail');
    const call = mailgun.calls[mailgun.calls.length - 1];
    expect(call.path).toBe('/v3/mg.example.test/messages');
    expect(call.authorization).toBe(`Basic ${Buffer.from('api:key-test').toString('base64')}`);
    expect(call.form.get('to')).toBe('"Test User" <gun@example.com>');
    expect(call.form.get('from')).toBe('"Gatehouse" <noreply@example.test>');
    expect(call.form.get('subject')).toBe('Verify your email');
    expect(call.form.get('o:tracking-clicks')).toBe('no');
    expect(call.form.get('text')).toContain(`${CLIENT}/verify?token=`);
    expect((await new HttpClient(app.url).get('/api/config')).body.emailEnabled).toBe(true);
  });

  it('a 400 from Mailgun gives the mail up at once', async () => {
    mailgun.setStatus(400);
    const before = mailgun.calls.length;
    await register(new HttpClient(app.url), 'bad-request@example.com');
    const outbox = app.app.get(OutboxRepository);
    await eventually(async () => ((await outbox.countByStatus()).dead === 1 ? true : undefined), 8_000, 'a dead mail');
    await settleOutbox(app);
    expect(mailgun.calls.length - before).toBe(1);
  });
});
