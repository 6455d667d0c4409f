import type { Page } from 'playwright-core';
import { startAppOnOwnOrigin, type RunningApp } from '../support/app.harness';
import { describeInBrowser, launchBrowser, screenshot, type BrowserSession } from '../support/browser';
import { runCli, ensureBuilt } from '../support/cli.harness';

const PASSWORD = 'violet harbour lantern 1';

async function fillAndSubmit(page: Page, values: Record<string, string>, button: string): Promise<void> {
  for (const [label, value] of Object.entries(values)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: button }).click();
}

describeInBrowser('the sign-in page in a real browser (local accounts)', () => {
  let app: RunningApp & { origin: string };
  let browser: BrowserSession;

  beforeAll(async () => {
    ensureBuilt();
    app = await startAppOnOwnOrigin({ ALLOW_REGISTRATION: 'true', PASSWORD_HASH_COST: '4', APP_TITLE: 'Gatehouse Test' });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('register → sign in → reload keeps the session → sign out', async () => {
    const { page } = await browser.newPage();
    await page.goto(`${app.origin}/login`);
    await screenshot(page, 'login');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    await screenshot(page, 'register');
    await fillAndSubmit(
      page,
      { Name: 'Ada Browser', Email: 'ada@example.com', 'Password (at least 8 characters)': PASSWORD, 'Confirm password': PASSWORD },
      'Create account',
    );
    await page.getByRole('status').filter({ hasText: 'Please check your email' }).waitFor();

    await fillAndSubmit(page, { Email: 'ada@example.com', Password: PASSWORD }, 'Sign in');
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(await page.locator('[data-field=email]').textContent()).toBe('ada@example.com');
    expect(await page.getByRole('list', { name: 'Active sessions' }).textContent()).toContain('This device');
    await screenshot(page, 'signed-in');

    // The access token lived in memory only; the HttpOnly cookie brings the session back.
    await page.reload();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(await page.evaluate('document.cookie')).not.toContain('refreshToken');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('status').filter({ hasText: 'You are signed out.' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Gatehouse Test' }).waitFor();
  });

  it("shows the server's message for wrong credentials and for a provider failure", async () => {
    const { page } = await browser.newPage();
    await page.goto(`${app.origin}/login`);
    await fillAndSubmit(page, { Email: 'ada@example.com', Password: 'not the password' }, 'Sign in');
    await page.getByRole('alert').filter({ hasText: 'Invalid email or password.' }).waitFor();
    await page.goto(`${app.origin}/login?redirect=false&error=auth_failed`);
    await page.getByRole('alert').filter({ hasText: 'Sign-in with that provider did not succeed' }).waitFor();
    await screenshot(page, 'login-error');
  });

  it('a banned user sees the ban message', async () => {
    const banned = await runCli(['ban-user', 'ada@example.com', '1h'], { DATA_DIR: app.dataDir, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    expect(banned.code).toBe(0);
    const { page } = await browser.newPage();
    await page.goto(`${app.origin}/login`);
    await fillAndSubmit(page, { Email: 'ada@example.com', Password: PASSWORD }, 'Sign in');
    await page.getByRole('alert').filter({ hasText: 'Your account has been temporarily banned' }).waitFor();
    await screenshot(page, 'banned');
  });

  it('serves the pages with a strict Content-Security-Policy and no inline code', async () => {
    const res = await fetch(`${app.url}/login`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(await res.text()).not.toMatch(/<script>[^<]|\son[a-z]+=/);
  });
});
