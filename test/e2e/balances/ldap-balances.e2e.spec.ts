import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { slapdAvailable, startSlapd, type SlapdHandle } from '../../support/ldap';
import { login } from '../auth/auth-helpers';
import { PEOPLE_SEED, startLdapApp } from '../ldap/ldap-helpers';
import { REFILL_YAML, balanceOf, configFile } from './balance-helpers';

jest.setTimeout(60_000);

const describeSlapd = slapdAvailable() ? describe : describe.skip;
if (!slapdAvailable()) console.warn('skipped: slapd/openssl not installed (scripts/install-test-deps.sh installs them)');

describeSlapd('balances on LDAP sign-in (real slapd)', () => {
  let slapd: SlapdHandle;
  let app: RunningApp;

  beforeAll(async () => {
    slapd = await startSlapd(PEOPLE_SEED);
    app = await startLdapApp(slapd, { CONFIG_PATH: configFile(REFILL_YAML) });
  });
  afterAll(async () => {
    await app?.stop();
    await slapd?.destroy();
  });

  it('the directory sign-in that creates the account also creates its balance', async () => {
    const res = await login(new HttpClient(app.url), 'grace@example.org', 'grace-directory-pw');
    expect(res.status).toBe(200);
    expect(await balanceOf(app, 'grace@example.org')).toMatchObject({
      tokenCredits: 1000,
      autoRefillEnabled: true,
      refillIntervalValue: 7,
      refillIntervalUnit: 'days',
      refillAmount: 250,
    });
  });
});
