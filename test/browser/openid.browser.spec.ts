import type { Page } from 'playwright-core';
import { freePort } from '../support/free-port';
import { describeInBrowser, launchBrowser, screenshot, type BrowserSession } from '../support/browser';
import { startOpenIdStack, type OpenIdStack } from '../support/oidc/openid-stack';

/** The IdP's own sign-in and consent pages (oidc-provider's interactions), filled like a person would. */
async function signInAtIdp(page: Page, login: string): Promise<void> {
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('password');
  await page.locator('button[type=submit]').first().click();
  const consent = page.locator('input[name=prompt][value=consent]');
  if (await consent.count().catch(() => 0)) await page.locator('button[type=submit]').first().click();
}

describeInBrowser('OpenID sign-in in a real browser (IdP on 127.0.0.1, app on localhost)', () => {
  let stack: OpenIdStack;
  let browser: BrowserSession;
  let origin: string;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    stack = await startOpenIdStack({
      client: { redirect_uris: [`${origin}/oauth/openid/callback`], post_logout_redirect_uris: [`${origin}/login`] },
      env: {
        PORT: String(port),
        DOMAIN_SERVER: origin,
        DOMAIN_CLIENT: origin,
        OPENID_BUTTON_LABEL: 'Continue with Example SSO',
        ALLOW_REGISTRATION: 'true',
        APP_TITLE: 'Gatehouse',
      },
    });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('the OpenID button signs in through the real provider; reload keeps the session; sign out', async () => {
    const { page } = await browser.newPage();
    await page.setViewportSize({ width: 720, height: 560 });
    await page.goto(`${origin}/login`);
    const button = page.getByRole('link', { name: 'Continue with Example SSO' });
    await button.waitFor();
    await screenshot(page, 'login-with-openid');
    await button.click();
    await page.waitForURL((url) => url.href.startsWith(stack.op.issuer));
    await signInAtIdp(page, 'alice');
    await page.waitForURL((url) => url.href.startsWith(origin));
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(await page.locator('[data-field=email]').textContent()).toBe('alice@example.test');
    await screenshot(page, 'openid-signed-in');
    await page.reload();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('status').filter({ hasText: 'You are signed out.' }).waitFor();
  });
});
