import { startAppOnOwnOrigin, type RunningApp } from '../support/app.harness';
import { describeInBrowser, launchBrowser, screenshot, type BrowserSession } from '../support/browser';
import { FakeApple } from '../support/social';

/**
 * The part of Sign in with Apple that only a browser can prove: Apple's callback is a cross-site
 * form POST (the fake on 127.0.0.1 posts to the app on localhost — another site), on which
 * Chromium sends no Lax cookie. The sign-in only completes because the transaction cookie is
 * SameSite=None; Secure (accepted on http://localhost), and the Strict session cookie set by that
 * POST's response is kept (AP-05).
 */
describeInBrowser('Sign in with Apple in a real browser (cross-site form_post)', () => {
  let apple: FakeApple;
  let app: RunningApp & { origin: string };
  let browser: BrowserSession;

  beforeAll(async () => {
    apple = await new FakeApple({ ada: { sub: '000123.ada.0001', email: 'ada@example.test', firstName: 'Ada', lastName: 'Lovelace' } }).start();
    app = await startAppOnOwnOrigin({ ALLOW_SOCIAL_LOGIN: 'true', ALLOW_SOCIAL_REGISTRATION: 'true', ...apple.env() });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await apple?.stop();
  });

  it('AP-05 the Apple button signs in through the cross-site form POST and lands signed in', async () => {
    const { page, context } = await browser.newPage();
    await page.goto(`${app.origin}/login`);
    const button = page.getByRole('link', { name: 'Continue with Apple' });
    await button.waitFor();
    await button.click();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(await page.locator('[data-field=email]').textContent()).toBe('ada@example.test');
    expect(await page.locator('[data-field=name]').textContent()).toBe('Ada Lovelace');
    const cookies = await context.cookies(app.origin);
    expect(cookies.find((c) => c.name === 'refreshToken')?.sameSite).toBe('Strict');
    // The transaction cookie was consumed and cleared.
    expect(cookies.filter((c) => c.name.startsWith('oidc_tx_'))).toEqual([]);
    await screenshot(page, 'apple-signed-in');
  });
});
