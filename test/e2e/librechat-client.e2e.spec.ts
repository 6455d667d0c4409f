import axios, { AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { startApp, type RunningApp } from '../support/app.harness';
import { STEP_MS, holdClock, secretOf, totpAt } from './two-factor/two-factor-helpers';

// The published client itself, through its CommonJS build (what a Node consumer `require`s).
// It calls the default axios instance; `npm ls axios` shows a single deduped copy, so the `axios`
// imported above is the instance it uses and its defaults and interceptors apply to its requests.
const { dataService, request, setTokenHeader } = require('librechat-data-provider') as typeof import('librechat-data-provider');

/**
 * Node axios has no cookie jar, and the library leaves cookies to the browser. This stands in for
 * the browser: it keeps what Set-Cookie says (clearing included) and sends it back as Cookie.
 */
class CookieJar {
  readonly cookies = new Map<string, string>();
  /** When set, sent instead of the jar's contents (to replay an old cookie). */
  override: string | null = null;

  store(setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = decodeURIComponent(pair.slice(eq + 1));
      const expires = attributes.find((a) => /^expires=/i.test(a));
      const maxAge = attributes.find((a) => /^max-age=/i.test(a));
      const expired =
        value === '' || (maxAge !== undefined && Number(maxAge.split('=')[1]) <= 0) || (expires !== undefined && Date.parse(expires.slice(8)) <= Date.now());
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string | null {
    if (this.override !== null) return this.override;
    if (this.cookies.size === 0) return null;
    return [...this.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
  }
}

describe('librechat-data-provider 0.8.524 as a client of Gatehouse', () => {
  let app: RunningApp;
  const jar = new CookieJar();
  const setCookieLog: string[][] = [];
  let requestInterceptor: number;
  let responseInterceptor: number;

  beforeAll(async () => {
    app = await startApp({ ALLOW_REGISTRATION: 'true', PASSWORD_HASH_COST: '4' });
    // In Node the library's BASE_URL is '' (it only reads <base href> in a browser), so its paths
    // are relative and need a base URL on the shared instance.
    axios.defaults.baseURL = app.url;
    requestInterceptor = axios.interceptors.request.use((config: InternalAxiosRequestConfig) => {
      const cookie = jar.header();
      if (cookie) config.headers.set('Cookie', cookie);
      return config;
    });
    const capture = (response: AxiosResponse | undefined) => {
      const setCookie = response?.headers['set-cookie'];
      if (setCookie) {
        setCookieLog.push(setCookie);
        jar.store(setCookie);
      }
    };
    responseInterceptor = axios.interceptors.response.use(
      (response) => {
        capture(response);
        return response;
      },
      (error: unknown) => {
        if (error instanceof AxiosError) capture(error.response);
        return Promise.reject(error);
      },
    );
  });

  afterAll(async () => {
    axios.interceptors.request.eject(requestInterceptor);
    axios.interceptors.response.eject(responseInterceptor);
    delete axios.defaults.baseURL;
    setTokenHeader(undefined);
    await app?.stop();
  });

  const email = 'grace@example.com';
  const password = 'correct horse battery staple';

  it('register → login → getUser → refreshToken → getUser → logout → refreshToken', async () => {
    const registered = await dataService.register({ name: 'Grace Hopper', email, username: 'grace', password, confirm_password: password });
    expect(registered).toEqual({ message: expect.any(String) });

    const login = await dataService.login({ email, password });
    expect(login).toEqual({ token: expect.any(String), user: expect.objectContaining({ email, id: expect.any(String) }) });
    const userId = login.user!.id;
    // The refresh cookie and its provider, as LibreChat's own server names them.
    expect(jar.cookies.get('refreshToken')).toEqual(expect.any(String));
    expect(jar.cookies.get('token_provider')).toBe('librechat');
    expect(setCookieLog.flat().filter((c) => c.startsWith('refreshToken='))[0]).toMatch(/HttpOnly/i);

    setTokenHeader(login.token);
    const me = await dataService.getUser();
    expect(me).toMatchObject({ id: userId, email, name: 'Grace Hopper', username: 'grace', provider: 'local' });

    const loginCookie = jar.cookies.get('refreshToken');
    const refreshed = await request.refreshToken();
    if (refreshed === undefined || typeof refreshed === 'string') throw new Error(`refresh returned ${JSON.stringify(refreshed)}`);
    expect(refreshed).toEqual({ token: expect.any(String), user: expect.objectContaining({ email, id: userId }) });
    // Rotated: the cookie the library's caller holds now is a different one.
    expect(jar.cookies.get('refreshToken')).toEqual(expect.any(String));
    expect(jar.cookies.get('refreshToken')).not.toBe(loginCookie);

    // Prove the refreshed token is the one authorising getUser: none first, then only it.
    setTokenHeader(undefined);
    await expect(dataService.getUser()).rejects.toMatchObject({ response: { status: 401 } });
    setTokenHeader(refreshed.token);
    await expect(dataService.getUser()).resolves.toMatchObject({ id: userId, email });

    const sessionCookie = jar.header()!;
    const logout = await dataService.logout();
    expect(logout).toEqual({ message: 'Logout successful' });
    // Logout cleared both cookies, so the jar is empty again.
    expect(jar.cookies.size).toBe(0);

    // No cookie: the plain-text 200 the SPA reads as "not signed in".
    await expect(request.refreshToken()).resolves.toBe('Refresh token not provided');

    // The cookie that was live at logout no longer opens a session.
    jar.override = sessionCookie;
    try {
      await expect(request.refreshToken()).rejects.toMatchObject({ response: { status: 401 } });
    } finally {
      jar.override = null;
    }
    setTokenHeader(undefined);
  });

  it('surfaces a failed login as an axios error whose body has the message the SPA displays', async () => {
    const failure = await dataService.login({ email, password: 'not the password' }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AxiosError);
    const response = (failure as AxiosError<{ message?: unknown }>).response;
    expect(response?.status).toBeGreaterThanOrEqual(400);
    expect(response?.status).toBeLessThan(500);
    expect(response?.data.message).toEqual(expect.any(String));
    expect(response?.headers['set-cookie']).toBeUndefined();
  });
  it('MF-19 the 2FA calls: enableTwoFactor → verifyTwoFactor → confirmTwoFactor → login {twoFAPending} → verifyTwoFactorTemp → regenerateBackupCodes → disableTwoFactor', async () => {
    const clock = holdClock(app);
    try {
      const who = 'ada-2fa@example.com';
      await dataService.register({ name: 'Ada', email: who, username: 'ada2fa', password, confirm_password: password });
      const first = await dataService.login({ email: who, password });
      setTokenHeader(first.token);
      const enabled = await dataService.enableTwoFactor();
      expect(enabled).toMatchObject({ otpauthUrl: expect.stringMatching(/^otpauth:\/\/totp\//), backupCodes: expect.any(Array) });
      const secret = secretOf(enabled.otpauthUrl);
      await expect(dataService.verifyTwoFactor({ token: totpAt(secret, clock.now()) })).resolves.toBeDefined();
      await expect(dataService.confirmTwoFactor({ token: totpAt(secret, clock.now()) })).resolves.toBeDefined();
      await expect(dataService.getUser()).resolves.toMatchObject({ twoFactorEnabled: true });

      jar.cookies.clear();
      const pending = await dataService.login({ email: who, password });
      expect(pending).toEqual({ twoFAPending: true, tempToken: expect.any(String) });
      expect(jar.cookies.size).toBe(0);
      const wrong = await dataService.verifyTwoFactorTemp({ tempToken: pending.tempToken!, token: totpAt(secret, clock.now()) }).then(
        () => null,
        (error: AxiosError<{ message?: string }>) => error.response,
      );
      // The code that confirmed enrolment is spent.
      expect(wrong?.status).toBe(401);
      expect(wrong?.data.message).toBe('Invalid 2FA code or backup code');
      clock.advance(STEP_MS);
      const verified = await dataService.verifyTwoFactorTemp({ tempToken: pending.tempToken!, token: totpAt(secret, clock.now()) });
      expect(verified).toMatchObject({ token: expect.any(String), user: expect.objectContaining({ email: who }) });
      expect(jar.cookies.get('refreshToken')).toEqual(expect.any(String));
      setTokenHeader(verified.token);

      const regenerated = await dataService.regenerateBackupCodes({ backupCode: enabled.backupCodes[0] });
      expect(regenerated.backupCodes).toHaveLength(10);
      expect(regenerated.backupCodesHash).toHaveLength(10);
      await expect(dataService.disableTwoFactor({ backupCode: enabled.backupCodes[1] })).rejects.toMatchObject({ response: { status: 401 } });
      await expect(dataService.disableTwoFactor({ backupCode: regenerated.backupCodes[1] })).resolves.toBeDefined();
      await expect(dataService.getUser()).resolves.toMatchObject({ twoFactorEnabled: false });
    } finally {
      clock.restore();
      setTokenHeader(undefined);
    }
  });
});
