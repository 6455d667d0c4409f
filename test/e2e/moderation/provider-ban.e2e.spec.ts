import { BansService } from '../../../src/moderation';
import { UserRepository } from '../../../src/storage';
import { HttpClient } from '../../support/http';
import { browserLogin, cookiesSet, FAILURE_URL, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';
import { expectBanned, freshIp, from } from './moderation-helpers';

describe('bans on provider sign-in and on the mail routes', () => {
  let stack: OpenIdStack;

  beforeAll(async () => {
    stack = await startOpenIdStack({ env: { TRUST_PROXY: '1', ALLOW_PASSWORD_RESET: 'true' } });
  });
  afterAll(() => stack?.stop());

  it('MB-08: a banned account gets no session from the OpenID callback, and a readable failure redirect', async () => {
    const first = await browserLogin(stack);
    expect(first.callback.status).toBe(302);
    const user = await stack.app.app.get(UserRepository).findByEmail('alice@example.test');
    await stack.app.app.get(BansService).ban({ userId: user!.id }, { type: 'manual', reason: 'test', violationCount: 0, durationMs: 60_000 });

    const again = await browserLogin(stack);
    expect(again.callback.status).toBe(302);
    expect(again.callback.location).toBe(`${FAILURE_URL}&reason=banned`);
    expect(cookiesSet(again.callback)).not.toContain('refreshToken');
    // The session from before the ban ended with it.
    expectBanned(await first.http.post('/api/auth/refresh'));
  });

  it('MB-08: a banned address is refused on the sign-in start and on the reset and verification routes', async () => {
    const ip = freshIp();
    await stack.app.app.get(BansService).ban({ ip }, { type: 'manual', reason: 'test', violationCount: 0, durationMs: 60_000 });
    const http = new HttpClient(stack.app.url);
    expectBanned(await http.get('/oauth/openid', { headers: from(ip) }));
    expectBanned(await http.post('/api/auth/requestPasswordReset', { json: { email: 'a@example.com' }, headers: from(ip) }));
    expectBanned(
      await http.post('/api/auth/resetPassword', {
        json: { userId: '0'.repeat(24), token: 'x'.repeat(64), password: 'new password 1', confirm_password: 'new password 1' },
        headers: from(ip),
      }),
    );
    expectBanned(await http.post('/api/user/verify', { json: { email: 'a@example.com', token: 'x'.repeat(64) }, headers: from(ip) }));
    expectBanned(await http.post('/api/user/verify/resend', { json: { email: 'a@example.com' }, headers: from(ip) }));
    expect((await http.get('/oauth/openid', { headers: from(freshIp()) })).status).toBe(302);
  });
});
