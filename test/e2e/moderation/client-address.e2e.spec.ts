import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { bearer } from '../auth/auth-helpers';
import { expectBanned, freshIp, loginFrom, signUpFresh, startModeratedApp } from './moderation-helpers';

/**
 * The tests connect from loopback, which the default TRUST_PROXY trusts as a proxy on the host, so
 * X-Forwarded-For plays the client's address here. That a direct public peer cannot do the same
 * (MB-14) is proved end to end in public-peer.e2e.spec.ts (a second host in a network namespace)
 * and in src/common/client-ip.spec.ts with Express's own trust function.
 */
describe('client address (TRUST_PROXY default, IPv6 networks)', () => {
  describe('default TRUST_PROXY', () => {
    let app: RunningApp;
    let http: HttpClient;

    beforeAll(async () => {
      app = await startModeratedApp({ TRUST_PROXY: '', LOGIN_MAX: '2', BAN_VIOLATIONS: 'true', BAN_INTERVAL: '2', BAN_DURATION: '1000 * 60 * 60' });
      http = new HttpClient(app.url);
    });
    afterAll(() => app?.stop());

    it('MB-15 IPv6 clients share one login bucket per /56; another /56 has its own', async () => {
      expect((await loginFrom(http, '2001:db8:1:100::1', 'nobody@example.com', 'x')).status).toBe(401);
      expect((await loginFrom(http, '2001:db8:1:1ff:abcd::2', 'nobody@example.com', 'x')).status).toBe(401);
      const third = await loginFrom(http, '2001:DB8:1:180:0:0:0:3', 'nobody@example.com', 'x');
      expect(third.status).toBe(429);
      expect(third.body.code).toBe('RATE_LIMITED');
      expect((await loginFrom(http, '2001:db8:1:200::1', 'nobody@example.com', 'x')).status).toBe(401);
      // IPv4 in any IPv6 spelling is the same client as its dotted form.
      expect((await loginFrom(http, '::ffff:198.51.100.77', 'nobody@example.com', 'x')).status).toBe(401);
      expect((await loginFrom(http, '0:0:0:0:0:ffff:198.51.100.77', 'nobody@example.com', 'x')).status).toBe(401);
      expect((await loginFrom(http, '198.51.100.77', 'nobody@example.com', 'x')).status).toBe(429);
    });

    it('MB-15 a ban of an IPv6 client covers its /56 and is listed and lifted by the network', async () => {
      for (let i = 0; i < 4; i++) await loginFrom(http, `2001:db8:77:4${i}::${i + 1}`, 'nobody@example.com', 'x');
      expectBanned(await loginFrom(http, '2001:db8:77:ff::9', 'nobody@example.com', 'x'));
      expect((await loginFrom(http, '2001:db8:77:100::9', 'nobody@example.com', 'x')).status).toBe(401);

      await signUpFresh(app, 'admin@example.com');
      const admin = await loginFrom(new HttpClient(app.url), freshIp(), 'admin@example.com');
      const bans = await http.get('/api/admin/bans', bearer(admin.body.token));
      expect(bans.body).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'ip:2001:db8:77::/56' })]));
      const lifted = await http.delete(`/api/admin/bans/${encodeURIComponent('ip:2001:db8:77::/56')}`, bearer(admin.body.token));
      expect(lifted.status).toBe(200);
      // No longer banned: the network's login bucket, still full, answers again.
      expect((await loginFrom(http, '2001:db8:77:ff::9', 'nobody@example.com', 'x')).body.code).toBe('RATE_LIMITED');
    });
  });
});
