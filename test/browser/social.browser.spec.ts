import { startAppOnOwnOrigin, type RunningApp } from '../support/app.harness';
import { describeInBrowser, launchBrowser, screenshot, type BrowserSession } from '../support/browser';
import { fakeGitHub, providerEnv, type FakeOAuthServer } from '../support/social';

describeInBrowser('social sign-in in a real browser (GitHub, against a fake of its API)', () => {
  let github: FakeOAuthServer;
  let app: RunningApp & { origin: string };
  let browser: BrowserSession;

  beforeAll(async () => {
    github = await fakeGitHub({
      octo: {
        id: 583231,
        login: 'octocat',
        name: 'The Octocat',
        avatar_url: 'https://avatars.githubusercontent.com/u/583231',
        email: null,
        emails: [{ email: 'octocat@example.test', primary: true, verified: true, visibility: 'private' }],
      },
    });
    github.nextLogin = 'octo';
    app = await startAppOnOwnOrigin({ ALLOW_SOCIAL_LOGIN: 'true', ALLOW_SOCIAL_REGISTRATION: 'true', ...providerEnv('GITHUB', github) });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await github?.stop();
  });

  it('the GitHub button signs in through the provider and lands signed in', async () => {
    const { page } = await browser.newPage();
    await page.goto(`${app.origin}/login`);
    const button = page.getByRole('link', { name: 'Continue with GitHub' });
    await button.waitFor();
    await screenshot(page, 'login-with-github');
    await button.click();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(await page.locator('[data-field=email]').textContent()).toBe('octocat@example.test');
    expect(await page.locator('[data-field=name]').textContent()).toBe('The Octocat');
    await screenshot(page, 'github-signed-in');
  });

  it('a refused sign-in comes back to the page with a readable message', async () => {
    github.denyNext = true;
    const { page } = await browser.newPage();
    await page.goto(`${app.origin}/login`);
    await page.getByRole('link', { name: 'Continue with GitHub' }).click();
    await page.getByRole('alert').filter({ hasText: 'Sign-in with that provider did not succeed' }).waitFor();
  });
});
