import { HttpClient } from '../../support/http';
import { browserLogin, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';
import { bearer } from '../auth/auth-helpers';
import { sample } from './metrics-sample';

jest.setTimeout(180_000);

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const account = (accountId: string, roles: unknown) => ({
  accountId,
  claims: { email: `${accountId}@example.test`, email_verified: true, preferred_username: accountId, roles },
});

/** OpenID against the real provider: a refused sign-in and an IdP role change move their counters and are audited. */
describe('OpenID sign-in and role sync events (issue 22)', () => {
  let stack: OpenIdStack;
  const scrape = async () => (await new HttpClient(stack.app.url).get('/metrics', bearer(METRICS_TOKEN))).text;
  /** The audit query as the IdP's administrator, from their own browser (OpenID tokens ride with its cookies). */
  const auditAsAdmin = async (query: string) => {
    const { http } = await browserLogin(stack, { login: 'boss' });
    const res = await http.post('/api/auth/refresh');
    expect(res.status).toBe(200);
    expect(res.body.user.role).toBe('ADMIN');
    const audit = await http.get(`/api/admin/audit${query}`, bearer(res.body.token as string));
    expect([audit.status, audit.text]).toEqual([200, expect.any(String)]);
    return audit.body.events as Array<Record<string, unknown>>;
  };

  beforeAll(async () => {
    stack = await startOpenIdStack({
      idp: { issueRefreshToken: 'always', rotateRefreshToken: true },
      accounts: [account('boss', ['member', 'boss']), account('dave', ['member', 'viewer']), account('outsider', ['viewer'])],
      env: {
        METRICS_ENABLED: 'true',
        METRICS_TOKEN,
        OPENID_SCOPE: 'openid profile email roles',
        OPENID_REUSE_TOKENS: 'true',
        OPENID_REUSE_MAX_SESSION_AGE_MS: '0',
        OPENID_REQUIRED_ROLE: 'member',
        OPENID_REQUIRED_ROLE_PARAMETER_PATH: 'roles',
        OPENID_REQUIRED_ROLE_TOKEN_KIND: 'id',
        OPENID_ADMIN_ROLE: 'boss',
        OPENID_ADMIN_ROLE_PARAMETER_PATH: 'roles',
        OPENID_ADMIN_ROLE_TOKEN_KIND: 'id',
        OPENID_ROLE_SYNC_ENABLED: 'true',
        OPENID_ROLE_SYNC_SOURCE: 'id',
        OPENID_ROLE_SYNC_CLAIM: 'roles',
        OPENID_ROLE_SYNC_ROLE_PRIORITY: 'EDITOR,VIEWER',
        OPENID_ROLE_SYNC_FALLBACK_ROLE: 'USER',
      },
    });
  });
  afterAll(() => stack?.stop());

  it('AU-13 a sign-in refused for a missing required role counts as an openid failure and is audited', async () => {
    const before = await scrape();
    const { callback } = await browserLogin(stack, { login: 'outsider' });
    expect(callback.status).toBe(302);
    const after = await scrape();
    const failures = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('gatehouse_sign_ins_total{') && l.includes('method="openid"') && !/outcome="(success|second_factor_pending)"/.test(l))
        .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    expect(failures(after) - failures(before)).toBe(1);
    const events = await auditAsAdmin('?type=sign_in.failed');
    expect(events[0]).toMatchObject({ method: 'openid', reason: 'rejected', userId: null });
    expect(after).not.toContain('outsider@example.test');
  });

  it('AU-13 an IdP role change at refresh counts as role.changed and is audited as role sync without an actor', async () => {
    const { http } = await browserLogin(stack, { login: 'dave' });
    const first = await http.post('/api/auth/refresh');
    expect(first.body.user.role).toBe('VIEWER');
    const before = await scrape();
    await stack.op.setClaims('dave', account('dave', ['member', 'editor']).claims);
    const promoted = await http.post('/api/auth/refresh');
    expect(promoted.body.user.role).toBe('EDITOR');
    const after = await scrape();
    const changed = (text: string) => sample(text, 'gatehouse_security_events_total', { type: 'role.changed' });
    expect(changed(after) - changed(before)).toBe(1);
    const userId = String(promoted.body.user.id ?? promoted.body.user._id);
    const events = await auditAsAdmin(`?userId=${userId}&type=role.changed`);
    expect(events[0]).toMatchObject({ actorId: null, reason: 'idp_role_sync', details: expect.objectContaining({ from: 'VIEWER', to: 'EDITOR' }) });
  });
});
