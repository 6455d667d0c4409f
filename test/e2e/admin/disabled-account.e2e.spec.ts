import { UserRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { browserLogin, cookiesSet, FAILURE_URL, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';
import { fakeGoogle, providerEnv, socialLogin, startSocialApp, type FakeOAuthServer } from '../../support/social';

/**
 * AD-01 across the provider sign-ins: the disabled flag is read by the same rule the password
 * sign-in uses (users/account-standing.ts through the login gate), against the real OpenID
 * Provider and a fake Google in its documented shape.
 */
describe('a disabled account on provider sign-ins', () => {
  describe('OpenID (real OP)', () => {
    let stack: OpenIdStack;
    beforeAll(async () => {
      stack = await startOpenIdStack();
    });
    afterAll(() => stack?.stop());

    it('AD-01 gets no session from the callback and a failure redirect that says why; the earlier session cannot refresh', async () => {
      const first = await browserLogin(stack);
      expect(first.callback.status).toBe(302);
      expect(cookiesSet(first.callback)).toContain('refreshToken');
      const users = stack.app.app.get(UserRepository);
      const user = await users.findByEmail('alice@example.test');
      await users.update(user!.id, { disabled: true });

      const again = await browserLogin(stack);
      expect(again.callback.location).toBe(`${FAILURE_URL}&reason=disabled`);
      expect(cookiesSet(again.callback)).not.toContain('refreshToken');
      const refresh = await first.http.post('/api/auth/refresh');
      expect(refresh.status).toBe(403);
      expect(refresh.body.code).toBe('ACCOUNT_DISABLED');

      await users.update(user!.id, { disabled: false });
      const restored = await browserLogin(stack);
      expect(cookiesSet(restored.callback)).toContain('refreshToken');
    });
  });

  describe('social (fake Google)', () => {
    let google: FakeOAuthServer;
    let app: RunningApp;
    beforeAll(async () => {
      google = await fakeGoogle({ dora: { sub: 'g-dora', name: 'Dora', given_name: 'Dora', email: 'dora@example.test', email_verified: true } });
      app = await startSocialApp(providerEnv('GOOGLE', google));
    });
    afterAll(async () => {
      await app?.stop();
      await google?.stop();
    });

    it('AD-01 gets no session from the callback and a failure redirect that says why', async () => {
      const first = await socialLogin(app, google, 'google', { login: 'dora' });
      expect(first.callback.setCookies.some((c) => c.name === 'refreshToken' && c.value !== '')).toBe(true);
      const users = app.app.get(UserRepository);
      const user = await users.findByEmail('dora@example.test');
      await users.update(user!.id, { disabled: true });
      const again = await socialLogin(app, google, 'google', { login: 'dora' });
      expect(again.callback.location).toMatch(/\/login\?redirect=false&error=auth_failed&reason=disabled$/);
      expect(again.callback.setCookies.filter((c) => c.name === 'refreshToken' && c.value !== '')).toEqual([]);
    });
  });
});
