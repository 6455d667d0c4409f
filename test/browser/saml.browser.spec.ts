import { describeInBrowser, launchBrowser, screenshot, type BrowserSession } from '../support/browser';
import { startSamlStack, type SamlStack } from '../support/saml';

describeInBrowser('SAML sign-in in a real browser (samlify IdP on loopback)', () => {
  let stack: SamlStack;
  let browser: BrowserSession;

  beforeAll(async () => {
    // Both on localhost (any ports are same-site), as a plain-HTTP development setup must be: see docs/providers.md.
    stack = await startSamlStack(
      [{ nameId: 'ada-7f3a', attributes: { email: 'ada@example.test', given_name: 'Ada', family_name: 'Lovelace' } }],
      { SAML_BUTTON_LABEL: 'Continue with Corp SSO' },
      { idpHost: 'localhost', appOrigin: (port) => `http://localhost:${port}` },
    );
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('the SAML button goes through the IdP, whose form post lands signed in', async () => {
    const { page } = await browser.newPage();
    await page.goto(`${stack.app.config.server.domainServer}/login`);
    const button = page.getByRole('link', { name: 'Continue with Corp SSO' });
    await button.waitFor();
    await screenshot(page, 'login-with-saml');
    await button.click();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(await page.locator('[data-field=email]').textContent()).toBe('ada@example.test');
    expect(await page.locator('[data-field=name]').textContent()).toBe('Ada Lovelace');
    await screenshot(page, 'saml-signed-in');
  });

  it('a refused response comes back to the sign-in page with a message', async () => {
    stack.idp.next = { audience: 'https://other-sp.example/saml' };
    const { page } = await browser.newPage();
    await page.goto(`${stack.app.config.server.domainServer}/login`);
    await page.getByRole('link', { name: 'Continue with Corp SSO' }).click();
    await page.getByRole('alert').filter({ hasText: 'Sign-in with that provider did not succeed' }).waitFor();
    expect(page.url()).toContain('/login?redirect=false&error=auth_failed');
  });
});
