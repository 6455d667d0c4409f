import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { bearer, login, refreshWith, signIn, signUp, startAuthApp, type SignedInClient } from '../auth/auth-helpers';

/**
 * The admin API over HTTP on the embedded store: authorisation, search and pagination, and each
 * action with its effect on the account (docs/admin.md; AD-* in docs/security.md).
 */
describe('admin API: accounts', () => {
  let app: RunningApp;
  let admin: SignedInClient;

  beforeAll(async () => {
    app = await startAuthApp();
    admin = await signUp(app, 'root@example.com'); // the first account is ADMIN
    for (let i = 0; i < 5; i += 1) await signUp(app, `member${i}@example.com`);
  }, 60_000);
  afterAll(() => app.stop());

  const get = (path: string, client = admin) => client.http.get(path, bearer(client.token));
  const post = (path: string, client = admin) => client.http.post(path, bearer(client.token));

  it('AD-02 answers 401 without a token and 403 FORBIDDEN to a USER on every admin route', async () => {
    const user = await signIn(app, 'member0@example.com');
    const target = (await get('/api/admin/users?search=member1')).body.users[0].id as string;
    const routes: Array<[string, string]> = [
      ['GET', '/api/admin/users'],
      ['GET', `/api/admin/users/${target}`],
      ['GET', `/api/admin/users/${target}/sessions`],
      ['POST', `/api/admin/users/${target}/disable`],
      ['POST', `/api/admin/users/${target}/enable`],
      ['POST', `/api/admin/users/${target}/2fa/reset`],
      ['POST', `/api/admin/users/${target}/sessions/revoke`],
      ['DELETE', `/api/admin/users/${target}`],
    ];
    const anonymous = new HttpClient(app.url);
    for (const [method, path] of routes) {
      const none = await anonymous.request(method, path);
      expect({ method, path, status: none.status, code: none.body?.code }).toEqual({ method, path, status: 401, code: 'TOKEN_MISSING' });
      const asUser = await user.http.request(method, path, bearer(user.token));
      expect({ method, path, status: asUser.status }).toEqual({ method, path, status: 403 });
    }
    // Nothing happened to the target.
    expect((await get(`/api/admin/users/${target}`)).body).toMatchObject({ disabled: false });
  });

  it('AD-03 searches by a case-insensitive substring and pages with an opaque cursor; secrets never leave', async () => {
    const first = await get('/api/admin/users?search=MEMBER&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.users.map((u: { email: string }) => u.email)).toEqual(['member0@example.com', 'member1@example.com']);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await get(`/api/admin/users?search=member&limit=2&cursor=${encodeURIComponent(first.body.next)}`);
    expect(second.body.users.map((u: { email: string }) => u.email)).toEqual(['member2@example.com', 'member3@example.com']);
    const last = await get(`/api/admin/users?search=member&limit=2&cursor=${encodeURIComponent(second.body.next)}`);
    expect(last.body).toMatchObject({ next: null });
    expect(last.body.users).toHaveLength(1);
    const shown = first.body.users[0];
    expect(shown).toMatchObject({ role: 'USER', provider: 'local', hasPassword: true, disabled: false, linkedIdentities: [] });
    expect(JSON.stringify(first.body)).not.toMatch(/password"|\$2[aby]\$/);
    expect((await get('/api/admin/users?limit=0')).status).toBe(400);
    expect((await get('/api/admin/users?limit=201')).status).toBe(400);
    const badCursor = await get('/api/admin/users?cursor=not-a-cursor');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.code).toBe('INVALID_CURSOR');
    expect((await get('/api/admin/users/ffffffffffffffffffffffff')).body.code).toBe('USER_NOT_FOUND');
  });

  it('AD-04 revoking all sessions ends every device: the next refresh fails', async () => {
    const phone = await signIn(app, 'member2@example.com');
    const laptop = await signIn(app, 'member2@example.com');
    const id = phone.user.id as string;
    expect((await get(`/api/admin/users/${id}/sessions`)).body.length).toBeGreaterThanOrEqual(2);
    const revoked = await post(`/api/admin/users/${id}/sessions/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.endedSessions).toBeGreaterThanOrEqual(2);
    expect((await get(`/api/admin/users/${id}/sessions`)).body).toEqual([]);
    for (const device of [phone, laptop]) expect((await refreshWith(app, device.refreshToken)).status).toBe(401);
  });

  it('AD-01 a disabled account cannot sign in, refresh or use its access token; enabling restores sign-in', async () => {
    const victim = await signIn(app, 'member3@example.com');
    const id = victim.user.id as string;
    const disabled = await post(`/api/admin/users/${id}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ message: 'Account disabled', user: { disabled: true } });
    expect(disabled.body.endedSessions).toBeGreaterThanOrEqual(1);

    const bearerCall = await victim.http.get('/api/user', bearer(victim.token));
    expect(bearerCall.status).toBe(403);
    expect(bearerCall.body.code).toBe('ACCOUNT_DISABLED');
    expect((await refreshWith(app, victim.refreshToken)).status).toBe(401);
    const again = await login(new HttpClient(app.url), 'member3@example.com');
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ code: 'ACCOUNT_DISABLED' });
    // A wrong password still says only "invalid credentials": disabling reveals nothing to strangers.
    expect((await login(new HttpClient(app.url), 'member3@example.com', 'wrong password here')).body.code).toBe('INVALID_CREDENTIALS');

    expect((await post(`/api/admin/users/${id}/enable`)).body).toMatchObject({ user: { disabled: false } });
    expect((await login(new HttpClient(app.url), 'member3@example.com')).status).toBe(200);
  });

  it('AD-01 disabling while a refresh cookie is still valid: that refresh is refused and its cookie cleared', async () => {
    const device = await signIn(app, 'member4@example.com');
    const id = device.user.id as string;
    // Disabled directly in the store (e.g. by another instance or the CLI) with the session still present.
    const { UserRepository } = await import('../../../src/storage');
    await app.app.get(UserRepository).update(id, { disabled: true });
    const refused = await refreshWith(app, device.refreshToken);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ACCOUNT_DISABLED');
    expect(refused.setCookies.find((c) => c.name === 'refreshToken')?.value).toBe('');
    await app.app.get(UserRepository).update(id, { disabled: false });
    // The refused refresh also ended that session.
    expect((await refreshWith(app, device.refreshToken)).status).toBe(401);
  });

  it('AD-05 an administrator cannot disable or delete their own account', async () => {
    const self = admin.user.id as string;
    for (const res of [await post(`/api/admin/users/${self}/disable`), await admin.http.delete(`/api/admin/users/${self}`, bearer(admin.token))]) {
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CANNOT_ACT_ON_SELF');
    }
    expect((await get('/api/user')).status).toBe(200);
  });

  it('AD-06 deletes an account with its sessions and tokens; a second delete is 404', async () => {
    const doomed = await signUp(app, 'doomed@example.com');
    const id = doomed.user.id as string;
    const res = await admin.http.delete(`/api/admin/users/${id}`, bearer(admin.token));
    expect(res.status).toBe(200);
    expect((await get(`/api/admin/users/${id}`)).status).toBe(404);
    expect((await refreshWith(app, doomed.refreshToken)).status).toBe(401);
    expect((await doomed.http.get('/api/user', bearer(doomed.token))).status).toBe(401);
    expect((await admin.http.delete(`/api/admin/users/${id}`, bearer(admin.token))).status).toBe(404);
  });

  it('AD-07 resets a lost second factor: 2FA off, sessions ended', async () => {
    const user = await signUp(app, 'lost-phone@example.com');
    const id = user.user.id as string;
    const { TwoFactorRepository } = await import('../../../src/storage');
    const store = app.app.get(TwoFactorRepository);
    await store.savePending(id, 'v3:opaque', []);
    const res = await post(`/api/admin/users/${id}/2fa/reset`);
    expect(res.status).toBe(200);
    expect(res.body.endedSessions).toBeGreaterThanOrEqual(1);
    expect(await store.find(id)).toMatchObject({ enabled: false, pendingTotpSecret: null });
    expect((await refreshWith(app, user.refreshToken)).status).toBe(401);
  });
});
