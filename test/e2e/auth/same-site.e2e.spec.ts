import { startAppOnOwnOrigin, type RunningApp } from '../../support/app.harness';
import { describeInBrowser, launchBrowser } from '../../support/browser';
import type { Request } from 'playwright-core';
import { HttpClient } from '../../support/http';
import { login, PASSWORD, refreshWith, register, signUp, startAuthApp } from './auth-helpers';

const FIELDS = { name: 'Form Victim', email: 'form@example.com', password: PASSWORD, confirm_password: PASSWORD };

describe('same-site checks and JSON-only registration (SE-14)', () => {
  let app: RunningApp;
  let http: HttpClient;

  beforeAll(async () => {
    app = await startAuthApp();
    http = new HttpClient(app.url);
  });
  afterAll(() => app?.stop());

  it('SE-14 a cross-site url-encoded, multipart or text/plain form cannot register an account (415), even on an empty store', async () => {
    const urlencoded = await http.post('/api/auth/register', { form: FIELDS });
    expect(urlencoded.status).toBe(415);
    expect(urlencoded.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const boundary = 'gatehouse-boundary';
    const multipart = Object.entries(FIELDS)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('');
    const parts = await http.post('/api/auth/register', {
      body: `${multipart}--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(parts.status).toBe(415);
    const plain = await http.post('/api/auth/register', { body: JSON.stringify(FIELDS), headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
    // None of them created the account.
    expect((await login(http, FIELDS.email)).status).toBe(401);
    expect((await http.post('/api/auth/register', { json: FIELDS })).status).toBe(200);
    expect((await login(http, FIELDS.email)).status).toBe(200);
  });

  it('SE-14 registration refuses cross-site browser requests, Origin: null included, and accepts its own origin', async () => {
    const hostile: Record<string, string>[] = [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }];
    for (const headers of hostile) {
      const res = await register(http, 'cross@example.com', PASSWORD, {}, headers);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('CROSS_SITE_REQUEST');
    }
    expect((await login(http, 'cross@example.com')).status).toBe(401);
    const own = await register(
      http,
      'cross@example.com',
      PASSWORD,
      {},
      { origin: new URL(app.config.server.domainServer).origin, 'sec-fetch-site': 'same-origin' },
    );
    expect(own.status).toBe(200);
  });

  it('SE-14 Origin: null does not pass the same-site check of login, refresh and logout', async () => {
    const user = await signUp(app, 'null-origin@example.com');
    const signIn = await login(new HttpClient(app.url), 'null-origin@example.com', PASSWORD, { origin: 'null' });
    expect(signIn.status).toBe(403);
    expect(signIn.body.code).toBe('CROSS_SITE_REQUEST');
    const refreshed = await refreshWith(app, user.refreshToken, { origin: 'null' });
    expect(refreshed.status).toBe(403);
    expect(refreshed.body.code).toBe('CROSS_SITE_REQUEST');
    const loggedOut = await user.http.post('/api/auth/logout', { headers: { origin: 'null' } });
    expect(loggedOut.status).toBe(403);
    // The session survived all three.
    expect((await refreshWith(app, user.refreshToken)).status).toBe(200);
  });
});

describeInBrowser('the sign-in page registers with JSON from its own origin (SE-14 compatibility)', () => {
  let app: RunningApp & { origin: string };

  beforeAll(async () => {
    app = await startAppOnOwnOrigin({ ALLOW_REGISTRATION: 'true', PASSWORD_HASH_COST: '4' });
  });
  afterAll(() => app?.stop());

  it('creates an account through /register in Chromium', async () => {
    const browser = await launchBrowser();
    try {
      const { page } = await browser.newPage();
      const sent: Request[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith('/api/auth/register')) sent.push(request);
      });
      await page.goto(`${app.origin}/register`);
      await page.fill('#f-name', 'Page User');
      await page.fill('#f-email', 'page-user@example.com');
      await page.fill('#f-password', PASSWORD);
      await page.fill('#f-confirm_password', PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForURL(`${app.origin}/login`);
      expect(sent).toHaveLength(1);
      // allHeaders: what went on the wire, Origin included (headers() omits what the network adds).
      expect(await sent[0].allHeaders()).toMatchObject({ 'content-type': 'application/json', origin: app.origin });
    } finally {
      await browser.close();
    }
    expect((await login(new HttpClient(app.url), 'page-user@example.com')).status).toBe(200);
  });
});
