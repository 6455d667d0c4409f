import type { RunningApp } from '../../support/app.harness';
import { auth0Shape, browserLogin, CLIENT_ORIGIN, cookiesSet, FAILURE_URL, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';
import { fakeGoogle, providerEnv, socialLogin, startSocialApp, type FakeOAuthServer } from '../../support/social';
import { REFILL_YAML, balanceOf, configFile, deleteBalance, lockStoreDuringNextBalanceWrite, storedLoginsOf, userIdOf } from './balance-helpers';

jest.setTimeout(90_000);

const EXPECTED = { tokenCredits: 1000, autoRefillEnabled: true, refillIntervalValue: 7, refillIntervalUnit: 'days', refillAmount: 250 };

describe('balances on social sign-in (fake Google)', () => {
  let google: FakeOAuthServer;
  let app: RunningApp;

  beforeAll(async () => {
    google = await fakeGoogle({
      alice: { sub: '1001', name: 'Alice', email: 'alice@example.test', email_verified: true },
      bob: { sub: '1002', name: 'Bob', email: 'bob@example.test', email_verified: true },
    });
    app = await startSocialApp({ ...providerEnv('GOOGLE', google), CONFIG_PATH: configFile(REFILL_YAML) });
  });
  afterAll(async () => {
    await app?.stop();
    await google?.stop();
  });

  it('the callback that creates the account also creates its balance, and a later one tops it up', async () => {
    const first = await socialLogin(app, google, 'google', { login: 'alice' });
    expect(first.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    expect(await balanceOf(app, 'alice@example.test')).toMatchObject(EXPECTED);
    deleteBalance(app, await userIdOf(app, 'alice@example.test'));
    await socialLogin(app, google, 'google', { login: 'alice' });
    expect(await balanceOf(app, 'alice@example.test')).toMatchObject(EXPECTED);
  });

  it('BA-05 a store fault in the balance step ends in the failure redirect without a session cookie or a session left behind', async () => {
    await socialLogin(app, google, 'google', { login: 'bob' });
    const before = await storedLoginsOf(app, 'bob@example.test');
    const spy = lockStoreDuringNextBalanceWrite(app);
    try {
      const { callback } = await socialLogin(app, google, 'google', { login: 'bob' });
      expect(callback.status).toBe(302);
      expect(callback.location).toMatch(new RegExp(`^${FAILURE_URL.replace(/[?]/g, '\\?')}`));
      expect(cookiesSet(callback)).not.toContain('refreshToken');
      expect(spy).toHaveBeenCalled();
      expect(await storedLoginsOf(app, 'bob@example.test')).toEqual(before);
    } finally {
      spy.mockRestore();
    }
  });
});

describe.each([
  ['without token reuse', {}],
  ['with token reuse', auth0Shape('https://api.gatehouse.test')],
] as const)('balances on OpenID sign-in (real OP) %s', (_title, shape) => {
  let stack: OpenIdStack;

  beforeAll(async () => {
    const s = shape as Partial<ReturnType<typeof auth0Shape>>;
    stack = await startOpenIdStack({ ...s, env: { ...s.env, CONFIG_PATH: configFile(REFILL_YAML) } });
  });
  afterAll(() => stack?.stop());

  it('the callback creates the balance of the new account; a later sign-in tops up a deleted one', async () => {
    const { callback } = await browserLogin(stack);
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    expect(cookiesSet(callback)).toContain('refreshToken');
    expect(await balanceOf(stack.app, 'alice@example.test')).toMatchObject(EXPECTED);
    deleteBalance(stack.app, await userIdOf(stack.app, 'alice@example.test'));
    await browserLogin(stack);
    expect(await balanceOf(stack.app, 'alice@example.test')).toMatchObject(EXPECTED);
  });

  it('BA-05 a store fault in the balance step ends in the failure redirect, no session or reuse cookie is set, and no stored login is left', async () => {
    const before = await storedLoginsOf(stack.app, 'alice@example.test');
    const spy = lockStoreDuringNextBalanceWrite(stack.app);
    try {
      const { callback } = await browserLogin(stack);
      expect(callback.status).toBe(302);
      expect(callback.location).toMatch(/^http:\/\/localhost:3999\/login\?redirect=false&error=auth_failed/);
      expect(cookiesSet(callback).filter((name) => ['refreshToken', 'token_provider', 'openid_user_id'].includes(name))).toEqual([]);
      expect(spy).toHaveBeenCalled();
      // The login the callback had stored (refresh session, IdP tokens) is closed again.
      expect(await storedLoginsOf(stack.app, 'alice@example.test')).toEqual(before);
    } finally {
      spy.mockRestore();
    }
  });
});
