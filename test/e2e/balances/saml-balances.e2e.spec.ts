import { samlLogin, startSamlStack, type SamlStack } from '../../support/saml';
import { CLIENT_ORIGIN } from '../../support/social';
import { REFILL_YAML, balanceOf, configFile } from './balance-helpers';

jest.setTimeout(60_000);

describe('balances on SAML sign-in (real IdP; LibreChat skips this step for SAML, Gatehouse does not)', () => {
  let stack: SamlStack;

  beforeAll(async () => {
    stack = await startSamlStack([{ nameId: 'ada-7f3a', attributes: { email: 'ada@example.com', given_name: 'Ada', username: 'ada' } }], {
      CONFIG_PATH: configFile(REFILL_YAML),
    });
  });
  afterAll(() => stack?.stop());

  it('the assertion that creates the account also creates its balance', async () => {
    stack.idp.nextLogin = 'ada-7f3a';
    const login = await samlLogin(stack);
    expect(login.callback.location).toBe(`${CLIENT_ORIGIN}/`);
    expect(await balanceOf(stack.app, 'ada@example.com')).toMatchObject({
      tokenCredits: 1000,
      autoRefillEnabled: true,
      refillIntervalValue: 7,
      refillIntervalUnit: 'days',
      refillAmount: 250,
    });
  });
});
