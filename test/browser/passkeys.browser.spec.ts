import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { startAppOnOwnOrigin, type RunningApp } from '../support/app.harness';
import { describeInBrowser, launchBrowser, screenshot, type BrowserSession } from '../support/browser';
import { HttpClient } from '../support/http';
import { bearer, login, register } from '../e2e/auth/auth-helpers';

const PASSWORD = 'browser password passkeys';
const EMAIL = 'piper@example.com';

interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

/** A page with a virtual platform authenticator (internal transport, resident keys, user verification on). */
async function pageWithAuthenticator(
  browser: BrowserSession,
  options: { autofill: boolean },
): Promise<{ page: Page; context: BrowserContext; cdp: CDPSession; authenticatorId: string }> {
  const { page, context } = await browser.newPage();
  // The virtual authenticator answers a conditional (autofill) request at once; to drive the
  // button, the page is told that this browser has no autofill for passkeys.
  if (!options.autofill) await page.addInitScript('PublicKeyCredential.isConditionalMediationAvailable = async () => false;');
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { page, context, cdp, authenticatorId };
}

describeInBrowser('passkeys in the sign-in page with a virtual authenticator (issue 21)', () => {
  let app: RunningApp & { origin: string };
  let browser: BrowserSession;
  let original: VirtualCredential;

  beforeAll(async () => {
    app = await startAppOnOwnOrigin({ ALLOW_REGISTRATION: 'true', PASSWORD_HASH_COST: '4' });
    browser = await launchBrowser();
    await register(new HttpClient(app.url), 'admin@example.com', PASSWORD);
    await register(new HttpClient(app.url), EMAIL, PASSWORD);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function passkeysOnServer() {
    const http = new HttpClient(app.url);
    const res = await login(http, EMAIL, PASSWORD);
    return (await http.get('/api/auth/passkeys', bearer(res.body.token))).body.passkeys as Array<{ name: string; flagged: boolean }>;
  }

  it('PK-16 register a passkey in the signed-in page, sign out, sign in with the passkey only (autofill, then the button)', async () => {
    const { page, cdp, authenticatorId } = await pageWithAuthenticator(browser, { autofill: true });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${app.origin}/login`);
    expect(await page.locator('#f-email').getAttribute('autocomplete')).toBe('username webauthn');
    await page.getByLabel('Email', { exact: true }).fill(EMAIL);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(await page.locator('[data-field=passkeys]').textContent()).toBe('None yet');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('status').filter({ hasText: 'Passkey added' }).waitFor();
    expect(await page.getByRole('list', { name: 'Your passkeys' }).locator('li').count()).toBe(1);
    await screenshot(page, 'passkeys-registered');
    const { credentials } = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })) as { credentials: VirtualCredential[] };
    expect(credentials).toHaveLength(1);
    expect(credentials[0].isResidentCredential).toBe(true);

    // Signing out shows the sign-in view, whose email field offers the passkey (conditional mediation).
    const autofill = page.waitForResponse((r) => r.url().endsWith('/api/auth/passkeys/sign-in'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect((await autofill).status()).toBe(200);
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(await page.locator('[data-field=email]').textContent()).toBe(EMAIL);
    expect(problems).toEqual([]);

    // The same credential on a device without autofill: the "Continue with a passkey" button.
    const current = ((await cdp.send('WebAuthn.getCredentials', { authenticatorId })) as { credentials: VirtualCredential[] }).credentials[0];
    const other = await pageWithAuthenticator(browser, { autofill: false });
    await other.cdp.send('WebAuthn.addCredential', { authenticatorId: other.authenticatorId, credential: current });
    await other.page.goto(`${app.origin}/login`);
    await other.page.getByRole('button', { name: 'Continue with a passkey' }).click();
    await other.page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(await other.page.locator('[data-field=email]').textContent()).toBe(EMAIL);
    original = ((await other.cdp.send('WebAuthn.getCredentials', { authenticatorId: other.authenticatorId })) as { credentials: VirtualCredential[] })
      .credentials[0];
    expect(original.signCount).toBeGreaterThan(0);
  }, 90_000);

  it('PK-08 a second authenticator whose credential was never registered is refused', async () => {
    const { page, cdp, authenticatorId } = await pageWithAuthenticator(browser, { autofill: false });
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' });
    await cdp.send('WebAuthn.addCredential', {
      authenticatorId,
      credential: {
        credentialId: randomBytes(32).toString('base64'),
        isResidentCredential: true,
        rpId: 'localhost',
        privateKey: key.toString('base64'),
        userHandle: randomBytes(32).toString('base64'),
        signCount: 0,
      },
    });
    await page.goto(`${app.origin}/login`);
    await page.getByRole('button', { name: 'Continue with a passkey' }).click();
    await page.getByRole('alert').filter({ hasText: 'This passkey was not accepted.' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Signed in' }).count()).toBe(0);
  }, 60_000);

  it('PK-04 a cloned credential (counter rolled back) is refused and flagged', async () => {
    expect(original).toBeDefined();
    const { page, cdp, authenticatorId } = await pageWithAuthenticator(browser, { autofill: false });
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...original, signCount: 0 } });
    await page.goto(`${app.origin}/login`);
    await page.getByRole('button', { name: 'Continue with a passkey' }).click();
    await page.getByRole('alert').filter({ hasText: 'This passkey was not accepted.' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Signed in' }).count()).toBe(0);
    expect((await passkeysOnServer()).map((p) => p.flagged)).toEqual([true]);
  }, 60_000);
});
