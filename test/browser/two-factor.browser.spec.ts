import type { Page } from 'playwright-core';
import { startAppOnOwnOrigin, type RunningApp } from '../support/app.harness';
import { describeInBrowser, launchBrowser, screenshot, type BrowserSession } from '../support/browser';
import { HttpClient } from '../support/http';
import { register } from '../e2e/auth/auth-helpers';
import { STEP_MS, holdClock, totpAt } from '../e2e/two-factor/two-factor-helpers';

const PASSWORD = 'browser password 2fa';

async function fillAndSubmit(page: Page, values: Record<string, string>, button: string): Promise<void> {
  for (const [label, value] of Object.entries(values)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: button }).click();
}

describeInBrowser('two-factor authentication in the sign-in page (issue 14)', () => {
  let app: RunningApp & { origin: string };
  let browser: BrowserSession;
  let clock: ReturnType<typeof holdClock>;

  beforeAll(async () => {
    app = await startAppOnOwnOrigin({ ALLOW_REGISTRATION: 'true', PASSWORD_HASH_COST: '4', APP_TITLE: 'Gatehouse 2FA' });
    browser = await launchBrowser();
    await register(new HttpClient(app.url), 'admin@example.com', PASSWORD);
    await register(new HttpClient(app.url), 'tess@example.com', PASSWORD);
    clock = holdClock(app);
  }, 60_000);
  afterAll(async () => {
    clock?.restore();
    await browser?.close();
    await app?.stop();
  });

  it('MF-18 enrol in the page (QR code, key, backup codes shown once), sign out, sign in with a code computed from the key shown', async () => {
    const { page } = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      // Refused codes are 401 responses by design; script errors and CSP refusals are not.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    await page.goto(`${app.origin}/login`);
    await fillAndSubmit(page, { Email: 'tess@example.com', Password: PASSWORD }, 'Sign in');
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(await page.locator('[data-field=two-factor]').textContent()).toBe('Off');

    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    await page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
    const secret = (await page.locator('[data-field=totp-secret]').textContent()) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{16}$/);
    // The QR code is an image the strict CSP lets load (a data: URL drawn on the server).
    await page.waitForFunction("(document.getElementById('totp-qr')?.naturalWidth ?? 0) > 0");
    expect(await page.getByRole('list', { name: 'Backup codes' }).locator('li').count()).toBe(10);
    await screenshot(page, 'two-factor-enrol');
    await fillAndSubmit(page, { 'Code from your app': totpAt(secret, clock.now()) }, 'Turn on');
    await page.getByRole('status').filter({ hasText: 'Two-factor authentication is on' }).waitFor();
    expect(await page.locator('[data-field=two-factor]').textContent()).toBe('On');
    expect(await page.getByRole('list', { name: 'Backup codes' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('status').filter({ hasText: 'You are signed out.' }).waitFor();
    await fillAndSubmit(page, { Email: 'tess@example.com', Password: PASSWORD }, 'Sign in');
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await screenshot(page, 'two-factor-step');
    // The code used to turn it on is spent; the next step's code signs in.
    await fillAndSubmit(page, { 'Authentication code': totpAt(secret, clock.now()) }, 'Verify');
    await page.getByRole('alert').filter({ hasText: 'Invalid 2FA code or backup code' }).waitFor();
    clock.advance(STEP_MS);
    await fillAndSubmit(page, { 'Authentication code': totpAt(secret, clock.now()) }, 'Verify');
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(await page.locator('[data-field=email]').textContent()).toBe('tess@example.com');
    await page.reload();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();

    clock.advance(STEP_MS);
    await fillAndSubmit(page, { 'Code to turn it off (authenticator or backup code)': totpAt(secret, clock.now()) }, 'Turn off');
    await page.getByRole('status').filter({ hasText: 'Two-factor authentication is off.' }).waitFor();
    expect(await page.locator('[data-field=two-factor]').textContent()).toBe('Off');
    expect(problems).toEqual([]);
  });
});
