import { startAppOnOwnOrigin, type RunningApp } from '../support/app.harness';
import { describeInBrowser, launchBrowser, type BrowserSession } from '../support/browser';
import { slapdAvailable, startSlapd, type SlapdHandle } from '../support/ldap';
import { ldapEnv, PEOPLE_SEED } from '../e2e/ldap/ldap-helpers';

describeInBrowser('LDAP sign-in on the sign-in page (real slapd)', () => {
  let slapd: SlapdHandle;
  let app: RunningApp & { origin: string };
  let browser: BrowserSession;
  const run = slapdAvailable() ? it : it.skip;

  beforeAll(async () => {
    if (!slapdAvailable()) return;
    slapd = await startSlapd(PEOPLE_SEED);
    app = await startAppOnOwnOrigin({ ...ldapEnv(slapd, { LDAP_LOGIN_USES_USERNAME: 'true', LDAP_SEARCH_FILTER: '(uid={{username}})' }) });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await slapd?.destroy();
  });

  run('LD-11 with LDAP_LOGIN_USES_USERNAME the page asks for a username, offers no registration, and signs in', async () => {
    const { page } = await browser.newPage();
    await page.goto(`${app.origin}/login`);
    await page.getByLabel('Username', { exact: true }).fill('grace');
    await page.getByLabel('Password', { exact: true }).fill('grace-directory-pw');
    expect(await page.getByRole('link', { name: 'Create an account' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(await page.locator('[data-field=email]').textContent()).toBe('grace@example.org');
  });
});
