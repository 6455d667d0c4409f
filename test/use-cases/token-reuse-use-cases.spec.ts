import { FederatedSessions } from '../../src/auth';
import { OpenIdLogoutService } from '../../src/openid/openid-logout.service';
import { OPENID_USER_COOKIE, OpenIdRefreshService } from '../../src/token-reuse';
import { PROVIDER_COOKIE, REFRESH_COOKIE } from '../../src/sessions';
import { IdpTokenVault } from '../../src/storage';
import { decodeJwt } from '../support/oidc';
import { ALICE_ACCOUNT, auth0Shape, browserLogin, startOpenIdStack, type OpenIdStack } from '../support/oidc/openid-stack';

const API = 'https://api.gatehouse.test';
const REUSE_COOKIES = [REFRESH_COOKIE, PROVIDER_COOKIE, OPENID_USER_COOKIE];

/**
 * The token-reuse refresh and logout use cases called directly with plain inputs (the browser's
 * cookies as a record, the client's address key): the real application's services against a real
 * OpenID Provider, taken from its container. Only the sign-in itself goes over HTTP, to obtain
 * the cookies a browser would hold; what the use cases answer is what AuthController only applies.
 */
describe('token-reuse use cases without HTTP', () => {
  let stack: OpenIdStack;
  const names = (list: { name: string }[]) => list.map((c) => c.name);

  beforeAll(async () => {
    const shape = auth0Shape(API);
    stack = await startOpenIdStack({
      ...shape,
      idp: { ...shape.idp, rotateRefreshToken: true },
      accounts: [ALICE_ACCOUNT],
      env: { ...shape.env, OPENID_REUSE_MAX_SESSION_AGE_MS: '0', OPENID_USE_END_SESSION_ENDPOINT: 'true' },
    });
  }, 120_000);
  afterEach(() => stack.op.setFaults({}));
  afterAll(() => stack?.stop());

  async function signedInCookies(): Promise<Record<string, string>> {
    const { http } = await browserLogin(stack);
    return http.jar.toObject();
  }

  async function vaultEntry(cookies: Record<string, string>) {
    const { id, sid } = decodeJwt(cookies[OPENID_USER_COOKIE]).payload as { id: string; sid: string };
    return stack.app.app.get(IdpTokenVault).load(id, `openid:${sid}`);
  }

  it('refresh: a rotated IdP refresh token comes back as instructions to set the three reuse cookies', async () => {
    const cookies = await signedInCookies();
    const result = await stack.app.app.get(OpenIdRefreshService).refresh({ cookies });
    if (!result || 'notSignedIn' in result) throw new Error(`expected a refreshed session, got ${JSON.stringify(result)}`);
    expect(decodeJwt(result.token).payload).toMatchObject({ iss: stack.op.issuer, sub: 'alice' });
    expect(names(result.cookies.set)).toEqual(REUSE_COOKIES);
    expect(result.cookies.clear).toEqual([]);
    const rotated = result.cookies.set[0].value;
    expect(rotated).not.toBe(cookies[REFRESH_COOKIE]);
    expect((await vaultEntry(cookies))?.refreshToken).toBe(rotated);
    expect(result.cookies.set[0].options).toMatchObject({ httpOnly: true, sameSite: 'strict', path: '/' });
  });

  it('refresh: cookies without a reuse session are not its business (undefined, nothing to apply)', async () => {
    await expect(stack.app.app.get(OpenIdRefreshService).refresh({ cookies: { [REFRESH_COOKIE]: 'x', [PROVIDER_COOKIE]: 'openid' } })).resolves.toBeUndefined();
    await expect(stack.app.app.get(FederatedSessions).refresh({ cookies: undefined, addressKey: '192.0.2.20' })).resolves.toBeUndefined();
  });

  it('TR-03 refresh: an IdP invalid_grant ends the login: "not signed in" with instructions to clear the reuse cookies', async () => {
    const cookies = await signedInCookies();
    await stack.op.setFaults({ refresh: 'invalid_grant' });
    const result = await stack.app.app.get(FederatedSessions).refresh({ cookies, addressKey: '192.0.2.21' });
    expect(result).toMatchObject({ notSignedIn: true });
    expect(names(result!.cookies.clear)).toEqual(REUSE_COOKIES);
    expect(result!.cookies.set).toEqual([]);
    expect(await vaultEntry(cookies)).toBeNull();
  });

  it('TR-04 refresh: an IdP outage is a 503 and the session is kept', async () => {
    const cookies = await signedInCookies();
    await stack.op.setFaults({ refresh: 502 });
    await expect(stack.app.app.get(OpenIdRefreshService).refresh({ cookies })).rejects.toMatchObject({ status: 503 });
    expect((await vaultEntry(cookies))?.refreshToken).toBe(cookies[REFRESH_COOKIE]);
  });

  it('LO-01 logout: the vault entry is deleted, the reuse cookies are to be cleared and the end-session URL is returned', async () => {
    const cookies = await signedInCookies();
    const result = await stack.app.app.get(OpenIdLogoutService).logout({ cookies }, null);
    expect(names(result!.cookies.clear)).toEqual(REUSE_COOKIES);
    expect(result!.redirect).toMatch(new RegExp(`^${stack.op.issuer}`));
    expect(new URL(result!.redirect!).searchParams.get('id_token_hint')).toEqual(expect.any(String));
    expect(await vaultEntry(cookies)).toBeNull();
    // Through the seam, every handler's cookies are gathered into one set of instructions.
    const again = await stack.app.app.get(FederatedSessions).logout({ cookies: {}, addressKey: '192.0.2.22' }, null);
    expect(again.redirect).toBeUndefined();
    expect(again.cookies.empty).toBe(true);
  });
});
