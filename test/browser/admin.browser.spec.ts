import { startAppOnOwnOrigin, type RunningApp } from '../support/app.harness';
import { describeInBrowser, launchBrowser, screenshot, type BrowserSession } from '../support/browser';
import { HttpClient } from '../support/http';

const PASSWORD = 'violet harbour lantern 1';

async function signUpOverHttp(app: RunningApp, email: string): Promise<HttpClient> {
  const http = new HttpClient(app.url);
  const reg = await http.post('/api/auth/register', { json: { name: email.split('@')[0], email, password: PASSWORD, confirm_password: PASSWORD } });
  if (reg.status !== 200) throw new Error(`register ${email}: ${reg.status}`);
  const res = await http.post('/api/auth/login', { json: { email, password: PASSWORD } });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  return http;
}

describeInBrowser('the administration view in a real browser', () => {
  let app: RunningApp & { origin: string };
  let browser: BrowserSession;

  beforeAll(async () => {
    app = await startAppOnOwnOrigin({ ALLOW_REGISTRATION: 'true', PASSWORD_HASH_COST: '4' });
    await signUpOverHttp(app, 'root@example.com'); // the first account is ADMIN
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function adminPage() {
    const { page } = await browser.newPage();
    await page.goto(`${app.origin}/login`);
    await page.getByLabel('Email', { exact: true }).fill('root@example.com');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    return page;
  }

  it("AD-10 an admin finds a user and revokes their sessions; the user's next refresh fails", async () => {
    const victim = await signUpOverHttp(app, 'victim@example.com');
    await signUpOverHttp(app, 'bystander@example.com');
    const page = await adminPage();
    await page.getByRole('searchbox', { name: 'Search users' }).fill('VICTIM');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('tr[data-user="victim@example.com"]').waitFor();
    expect(await page.locator('tr[data-user="bystander@example.com"]').count()).toBe(0);
    await page.getByRole('button', { name: 'Details of victim@example.com' }).click();
    await page.getByRole('list', { name: 'Sessions of victim@example.com' }).waitFor();
    await screenshot(page, 'admin-user');
    await page.getByRole('button', { name: 'Revoke sessions of victim@example.com' }).click();
    await page.getByRole('status').filter({ hasText: 'Sessions revoked' }).waitFor();
    expect((await victim.post('/api/auth/refresh')).status).toBe(401);
    await page.getByRole('button', { name: 'Details of victim@example.com' }).click();
    await page.locator('[data-empty=sessions]').waitFor();
  });

  it('AD-10 an admin bans an address from the page, the address is refused, and lifts the ban', async () => {
    const page = await adminPage();
    await page.getByLabel('Address to ban').fill('198.51.100.77');
    await page.getByLabel('Ban duration').fill('2h');
    await page.getByRole('button', { name: 'Ban address' }).click();
    await page.locator('li[data-ban="ip:198.51.100.77"]').waitFor();
    await screenshot(page, 'admin-bans');
    const { BansService } = await import('../../src/moderation');
    const bans = app.app.get(BansService);
    await expect(bans.assertNotBanned({ ip: '198.51.100.77' })).rejects.toMatchObject({ code: 'BANNED' });
    await page.getByRole('button', { name: 'Lift ban ip:198.51.100.77' }).click();
    await page.getByRole('status').filter({ hasText: 'Ban lifted' }).waitFor();
    await page.locator('li[data-ban="ip:198.51.100.77"]').waitFor({ state: 'detached' });
    await expect(bans.assertNotBanned({ ip: '198.51.100.77' })).resolves.toBeUndefined();
  });

  it('AD-10 a USER who opens /admin is told it is for administrators', async () => {
    await signUpOverHttp(app, 'plain@example.com');
    const { page } = await browser.newPage();
    await page.goto(`${app.origin}/login`);
    await page.getByLabel('Email', { exact: true }).fill('plain@example.com');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(await page.getByRole('link', { name: 'Administration' }).count()).toBe(0);
    await page.goto(`${app.origin}/admin`);
    await page.getByText('This page is for administrators.').waitFor();
  });
});
