import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { bearer, refreshWith } from '../auth/auth-helpers';
import { expectBanned, freshIp, from, loginFrom, signUpFresh, startModeratedApp } from './moderation-helpers';

/**
 * Who a violation concerns and when the ban answers. BAN_INTERVAL=3: the third limiter hit bans.
 * The forwarding routes are the bearer-authenticated limited routes; an unknown upstream name is
 * enough to count (the limiter runs before the handler answers 404).
 */
const BAN_ENV = { BAN_VIOLATIONS: 'true', BAN_INTERVAL: '3', BAN_DURATION: '1000 * 60 * 60', LOGIN_MAX: '1', UPSTREAM_MAX: '1' };

describe('ban subjects and ban precedence', () => {
  let app: RunningApp;
  let http: HttpClient;

  beforeAll(async () => {
    app = await startModeratedApp(BAN_ENV);
    http = new HttpClient(app.url);
    await signUpFresh(app, 'admin@example.com');
  });
  afterAll(() => app?.stop());

  it('MB-12: limiter hits on authenticated requests ban the user too; on another address the user stays banned for bearer, refresh and password login', async () => {
    const user = await signUpFresh(app, 'mb12@example.com');
    const abusive = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await user.http.get('/api/endpoints/nowhere/v1/chat', { headers: { ...bearer(user.token).headers, ...from(abusive) } });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([404, 429, 429, 429]);

    const elsewhere = freshIp();
    expectBanned(await user.http.get('/api/user', { headers: { ...bearer(user.token).headers, ...from(elsewhere) } }));
    expectBanned(await refreshWith(app, user.refreshToken, from(elsewhere)));
    expectBanned(await loginFrom(http, freshIp(), 'mb12@example.com'));

    const admin = await loginFrom(new HttpClient(app.url), freshIp(), 'admin@example.com');
    const bans = await http.get('/api/admin/bans', bearer(admin.body.token));
    expect(bans.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: `user:${user.user.id}`, type: 'upstream_limit' }),
        expect.objectContaining({ key: `ip:${abusive}`, type: 'upstream_limit' }),
      ]),
    );
  });

  it('MB-13: a banned address gets 403 BANNED with the expiry on a limited route before the limiter answers, never 429', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await loginFrom(http, ip, 'nobody@example.com', 'wrong')).status);
    // 1 allowed, then three limiter hits; the third crosses BAN_INTERVAL.
    expect(statuses).toEqual([401, 429, 429, 429]);
    for (let i = 0; i < 3; i++) {
      const res = await loginFrom(http, ip, 'nobody@example.com', 'wrong');
      expectBanned(res);
      expect(res.headers.get('retry-after')).toBeNull();
    }
    // The ban's own limited routes answer the same; the ban outlasts the limiter's window.
    expectBanned(await http.post('/api/auth/requestPasswordReset', { json: { email: 'nobody@example.com' }, headers: from(ip) }));
  });
});
