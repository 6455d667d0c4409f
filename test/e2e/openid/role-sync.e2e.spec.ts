import { UserRepository } from '../../../src/storage';
import { bearer } from '../auth/auth-helpers';
import { browserLogin, CLIENT_ORIGIN, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';

const account = (accountId: string, roles: unknown) => ({
  accountId,
  claims: { email: `${accountId}@example.test`, email_verified: true, preferred_username: accountId, roles },
});

// The IdP releases `roles` in the ID token (scope `roles`). Role sync, the admin mapping and the
// required role all read it; token reuse with OPENID_REUSE_MAX_SESSION_AGE_MS=0 sends every
// /api/auth/refresh to the IdP, whose refreshed ID token carries the account's current claims.
describe('OpenID role sync against the real provider (OPENID_ROLE_SYNC_*)', () => {
  let stack: OpenIdStack;
  let users: UserRepository;
  const role = async (email: string) => (await users.findByEmail(email))?.role;

  beforeAll(async () => {
    stack = await startOpenIdStack({
      idp: { issueRefreshToken: 'always', rotateRefreshToken: true },
      accounts: [
        account('alice', ['member', 'viewer', 'editor']),
        account('bob', ['member', 'boss', 'viewer']),
        account('carol', ['member', 'ADMIN', 'Viewer']),
        account('dave', ['member', 'viewer']),
        account('erin', ['member', 'editor']),
      ],
      env: {
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
        OPENID_ROLE_SYNC_API_ENABLED: 'true',
        OPENID_ROLE_SYNC_SOURCE: 'id',
        OPENID_ROLE_SYNC_CLAIM: 'roles',
        OPENID_ROLE_SYNC_ROLE_PRIORITY: 'EDITOR,VIEWER',
        OPENID_ROLE_SYNC_FALLBACK_ROLE: 'USER',
      },
    });
    users = stack.app.app.get(UserRepository);
  });
  afterAll(() => stack?.stop());

  it('OR-01 at sign-in the first priority role the user holds wins (matched without letter case, stored as configured)', async () => {
    const { callback } = await browserLogin(stack, { login: 'alice' });
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    expect(await role('alice@example.test')).toBe('EDITOR');
  });

  it('OR-01 OR-02 the role follows the IdP at every token-reuse refresh; no match → the fallback role', async () => {
    const { http } = await browserLogin(stack, { login: 'dave' });
    expect(await role('dave@example.test')).toBe('VIEWER');
    await stack.op.setClaims('dave', account('dave', ['member', 'editor']).claims);
    const promoted = await http.post('/api/auth/refresh');
    expect(promoted.status).toBe(200);
    expect(promoted.body.user.role).toBe('EDITOR');
    await stack.op.setClaims('dave', account('dave', ['member', 'unrelated']).claims);
    const fallback = await http.post('/api/auth/refresh');
    expect(fallback.body.user.role).toBe('USER');
    expect(await role('dave@example.test')).toBe('USER');
  });

  it('OR-03 a roles claim saying ADMIN grants nothing; the admin mapping alone makes and unmakes administrators', async () => {
    await browserLogin(stack, { login: 'carol' });
    expect(await role('carol@example.test')).toBe('VIEWER');

    const bob = await browserLogin(stack, { login: 'bob' });
    expect(await role('bob@example.test')).toBe('ADMIN');
    // Still an admin at the IdP: the refresh keeps ADMIN (sync never lowers an administrator).
    expect((await bob.http.post('/api/auth/refresh')).body.user.role).toBe('ADMIN');
    // The admin role withdrawn at the IdP: demoted by the admin mapping, then synced.
    await stack.op.setClaims('bob', account('bob', ['member', 'viewer']).claims);
    expect((await bob.http.post('/api/auth/refresh')).body.user.role).toBe('VIEWER');
  });

  it("OR-05 with OPENID_ROLE_SYNC_API_ENABLED an IdP-bearer request applies the presented token's roles", async () => {
    const { http } = await browserLogin(stack, { login: 'erin' });
    const { token } = (await http.post('/api/auth/refresh')).body;
    const erin = (await users.findByEmail('erin@example.test'))!;
    expect(erin.role).toBe('EDITOR');
    await users.update(erin.id, { role: 'VIEWER' });
    const me = await http.get('/api/user', bearer(token));
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('EDITOR');
    expect(await role('erin@example.test')).toBe('EDITOR');
  });

  it('OR-06 the required role withdrawn at the IdP ends the reuse session at the next refresh', async () => {
    const { http } = await browserLogin(stack, { login: 'alice' });
    expect((await http.post('/api/auth/refresh')).status).toBe(200);
    await stack.op.setClaims('alice', account('alice', ['editor']).claims);
    const refused = await http.post('/api/auth/refresh');
    expect(refused.text).toBe('Refresh token not provided');
    expect(http.jar.get('refreshToken')).toBeUndefined();
    expect((await http.post('/api/auth/refresh')).text).toBe('Refresh token not provided');
  });
});
