import type { Page } from 'playwright-core';
import { startAppOnOwnOrigin, type RunningApp } from '../support/app.harness';
import { describeInBrowser, launchBrowser, screenshot, type BrowserSession } from '../support/browser';
import { startSmtpServer, type SmtpServerHandle } from '../support/smtp';
import { linkIn, mailEnv, mailTo } from '../e2e/mail/mail-helpers';

const PASSWORD = 'violet harbour lantern 1';
const NEW_PASSWORD = 'a brand new password 2';

async function fill(page: Page, values: Record<string, string>, button: string): Promise<void> {
  for (const [label, value] of Object.entries(values)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: button }).click();
}

describeInBrowser('mail flows in a real browser, with mail through a real SMTP server', () => {
  let smtp: SmtpServerHandle;
  let app: RunningApp & { origin: string };
  let browser: BrowserSession;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    // DOMAIN_CLIENT is the app itself (its default), so the links in the mails open these pages.
    app = await startAppOnOwnOrigin({ ...mailEnv(smtp), DOMAIN_CLIENT: undefined, ALLOW_REGISTRATION: 'true', PASSWORD_HASH_COST: '4' });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await smtp?.stop();
  });

  it('register → verify through the mailed link → sign in → reload keeps the session → sign out', async () => {
    const { page } = await browser.newPage();
    await page.goto(`${app.origin}/register`);
    await fill(
      page,
      { Name: 'Grace', Email: 'grace@example.com', 'Password (at least 8 characters)': PASSWORD, 'Confirm password': PASSWORD },
      'Create account',
    );
    await page.getByRole('status').filter({ hasText: 'Please check your email' }).waitFor();

    // Not verified yet: the server says so after a correct password.
    await fill(page, { Email: 'grace@example.com', Password: PASSWORD }, 'Sign in');
    await page
      .getByRole('alert')
      .filter({ hasText: /not verified/i })
      .waitFor();

    const link = linkIn(await mailTo(smtp, 'grace@example.com'));
    expect(link.origin).toBe(app.origin);
    expect(link.pathname).toBe('/verify');
    await page.goto(link.href);
    await page.getByRole('heading', { name: 'Email verified' }).waitFor();
    await screenshot(page, 'verified');

    await page.getByRole('link', { name: 'Sign in' }).click();
    await fill(page, { Email: 'grace@example.com', Password: PASSWORD }, 'Sign in');
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('status').filter({ hasText: 'You are signed out.' }).waitFor();
  });

  it('forgot password → mailed link → new password → sign in with it', async () => {
    const { page } = await browser.newPage();
    await page.goto(`${app.origin}/login`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await fill(page, { Email: 'grace@example.com' }, 'Send reset link');
    await page
      .getByRole('status')
      .filter({ hasText: /If an account with that email exists/ })
      .waitFor();
    await screenshot(page, 'forgot-password');

    const mail = await smtp.waitForMessage((m) => m.to.includes('grace@example.com') && /reset/i.test(m.subject ?? ''), 8_000);
    const link = linkIn(mail);
    expect(link.pathname).toBe('/reset-password');
    await page.goto(link.href);
    await fill(page, { 'New password (at least 8 characters)': NEW_PASSWORD, 'Confirm new password': NEW_PASSWORD }, 'Set password');
    await page.getByRole('heading', { name: 'Sign in to Gatehouse' }).waitFor();
    await screenshot(page, 'reset-done');

    await fill(page, { Email: 'grace@example.com', Password: PASSWORD }, 'Sign in');
    await page.getByRole('alert').filter({ hasText: 'Invalid email or password.' }).waitFor();
    await fill(page, { Email: 'grace@example.com', Password: NEW_PASSWORD }, 'Sign in');
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
  });
});
