import { LoginService, type SignedIn } from '../../src/auth';
import { SessionRefreshService } from '../../src/auth/session-refresh.service';
import { CookieInstructions } from '../../src/common/http';
import { BansService } from '../../src/moderation';
import { PROVIDER_COOKIE, REFRESH_COOKIE, type BrowserContext } from '../../src/sessions';
import { SocialLoginService } from '../../src/social';
import { UsersService } from '../../src/users';
import type { RunningApp } from '../support/app.harness';
import { holdClock } from '../support/clock';
import { PASSWORD, startAuthApp } from '../e2e/auth/auth-helpers';

/**
 * The sign-in use cases called directly, with plain inputs and no HTTP objects: the real
 * application's services (real SQLite store, real config) taken from its container. What they
 * answer — results and cookie instructions — is what the controllers only apply.
 */
describe('sign-in use cases without HTTP', () => {
  let app: RunningApp;
  const browser = (addressKey: string, provider = 'local'): BrowserContext => ({ userAgent: 'unit-test', ip: addressKey, addressKey, provider });

  beforeAll(async () => {
    app = await startAuthApp({ ALLOW_SOCIAL_LOGIN: 'true', ALLOW_SOCIAL_REGISTRATION: 'true' });
    await app.app.get(UsersService).register({ email: 'ada@example.com', password: PASSWORD, name: 'Ada', username: null }, {});
  }, 60_000);
  afterAll(() => app?.stop());

  const names = (list: { name: string }[]) => list.map((c) => c.name);

  it('login: a correct password answers tokens and the two session cookies to set', async () => {
    const result = (await app.app.get(LoginService).login('ada@example.com', PASSWORD, browser('192.0.2.10'))) as SignedIn;
    expect(result.accessToken).toEqual(expect.any(String));
    expect(names(result.cookies.set)).toEqual([REFRESH_COOKIE, PROVIDER_COOKIE]);
    expect(result.cookies.set[0]).toMatchObject({
      value: result.refreshToken,
      options: { httpOnly: true, sameSite: 'strict', path: '/', expires: result.refreshExpiresAt },
    });
    expect(result.cookies.clear).toEqual([]);
  });

  it('login: a wrong password is refused and gives no cookie instructions', async () => {
    await expect(app.app.get(LoginService).login('ada@example.com', 'wrong password here', browser('192.0.2.11'))).rejects.toMatchObject({ status: 401 });
  });

  it('refresh: rotates the presented token into new cookie instructions; no token means "not signed in"', async () => {
    const signedIn = (await app.app.get(LoginService).login('ada@example.com', PASSWORD, browser('192.0.2.12'))) as SignedIn;
    const refresh = app.app.get(SessionRefreshService);
    const out = new CookieInstructions();
    const refreshed = await refresh.refresh(signedIn.refreshToken, '192.0.2.12', out);
    expect(refreshed?.user.email).toBe('ada@example.com');
    expect(names(out.set)).toEqual([REFRESH_COOKIE, PROVIDER_COOKIE]);
    expect(out.set[0].value).not.toBe(signedIn.refreshToken);
    expect(await refresh.refresh(null, '192.0.2.12', new CookieInstructions())).toBeNull();
  });

  it('refresh: an unknown token is a 401 whose cookie instructions clear the session cookies', async () => {
    const out = new CookieInstructions();
    await expect(app.app.get(SessionRefreshService).refresh('not-a-refresh-token', '192.0.2.13', out)).rejects.toMatchObject({ status: 401 });
    expect(names(out.clear)).toEqual([REFRESH_COOKIE, PROVIDER_COOKIE]);
    expect(out.set).toEqual([]);
  });

  it('refresh: a banned address is refused 403 and told to clear the cookies; the ban ends with the clock', async () => {
    const clock = holdClock(app);
    try {
      const signedIn = (await app.app.get(LoginService).login('ada@example.com', PASSWORD, browser('192.0.2.14'))) as SignedIn;
      await app.app.get(BansService).ban({ ip: '192.0.2.14', userId: null }, { type: 'test', reason: 'test', violationCount: 0, durationMs: 60_000 });
      const out = new CookieInstructions();
      await expect(app.app.get(SessionRefreshService).refresh(signedIn.refreshToken, '192.0.2.14', out)).rejects.toMatchObject({ status: 403 });
      expect(names(out.clear)).toEqual([REFRESH_COOKIE, PROVIDER_COOKIE]);
      clock.advance(61_000);
      const later = await app.app.get(SessionRefreshService).refresh(signedIn.refreshToken, '192.0.2.14', new CookieInstructions());
      expect(later?.user.email).toBe('ada@example.com');
    } finally {
      clock.restore();
    }
  });

  it('social sign-in: a new identity gets an account and the session cookies to set', async () => {
    const social = app.app.get(SocialLoginService);
    const user = await social.resolve({
      provider: 'github',
      key: { field: 'githubId' },
      id: '4242',
      email: 'grace@example.com',
      emailVerified: true,
      name: 'Grace',
      username: 'grace',
      avatar: null,
    });
    const cookies = await social.signIn(user, browser('192.0.2.20', 'github'));
    expect(user.email).toBe('grace@example.com');
    expect(names(cookies.set)).toEqual([REFRESH_COOKIE, PROVIDER_COOKIE]);
  });

  it('social sign-in: a banned address gets no session and no cookie instructions', async () => {
    const social = app.app.get(SocialLoginService);
    const user = await social.resolve({
      provider: 'github',
      key: { field: 'githubId' },
      id: '4343',
      email: 'linus@example.com',
      emailVerified: true,
      name: 'Linus',
      username: 'linus',
      avatar: null,
    });
    await app.app.get(BansService).ban({ ip: '192.0.2.21', userId: null }, { type: 'test', reason: 'test', violationCount: 0, durationMs: 60_000 });
    await expect(social.signIn(user, browser('192.0.2.21', 'github'))).rejects.toMatchObject({ reason: 'banned' });
  });
});
