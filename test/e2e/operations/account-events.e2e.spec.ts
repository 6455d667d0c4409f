import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { bearer, signUp, startAuthApp, type SignedInClient } from '../auth/auth-helpers';
import { enrol, holdClock } from '../two-factor/two-factor-helpers';
import { sample } from './metrics-sample';

jest.setTimeout(120_000);

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** Two-factor changes and admin actions: each moves its event counter (scrape, act, scrape) and is audited. */
describe('two-factor and admin action events (issue 22)', () => {
  let app: RunningApp;
  let admin: SignedInClient;
  const scrape = async () => (await new HttpClient(app.url).get('/metrics', bearer(METRICS_TOKEN))).text;
  const eventCount = (text: string, type: string) => sample(text, 'gatehouse_security_events_total', { type });
  const audit = async (query: string, token = admin.token) => {
    const res = await new HttpClient(app.url).get(`/api/admin/audit${query}`, bearer(token));
    expect(res.status).toBe(200);
    return res.body.events as Array<Record<string, unknown>>;
  };

  beforeAll(async () => {
    app = await startAuthApp({ METRICS_ENABLED: 'true', METRICS_TOKEN });
    admin = await signUp(app, 'admin@example.com');
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("AU-09 two-factor enable, backup-code regeneration and disable are counted and audited as the user's own acts", async () => {
    const clock = holdClock(app, new Date('2031-05-06T07:08:00.000Z'));
    try {
      const before = await scrape();
      const user = await signUp(app, 'twofa@example.com');
      const { backupCodes } = await enrol(user, clock.now());
      const regenerated = await user.http.post('/api/auth/2fa/backup/regenerate', { json: { backupCode: backupCodes[0] }, ...bearer(user.token) });
      expect(regenerated.status).toBe(200);
      const disabled = await user.http.post('/api/auth/2fa/disable', { json: { backupCode: regenerated.body.backupCodes[0] }, ...bearer(user.token) });
      expect(disabled.status).toBe(200);
      const after = await scrape();
      for (const type of ['two_factor.enabled', 'two_factor.backup_codes_regenerated', 'two_factor.disabled']) {
        expect([type, eventCount(after, type) - eventCount(before, type)]).toEqual([type, 1]);
      }
      const adminToken = (await new HttpClient(app.url).post('/api/auth/login', { json: { email: 'admin@example.com', password: 'correct horse battery' } }))
        .body.token as string;
      const events = await audit(`?userId=${user.user.id}`, adminToken);
      const types = events.map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['two_factor.enabled', 'two_factor.backup_codes_regenerated', 'two_factor.disabled']));
      for (const e of events.filter((e) => String(e.type).startsWith('two_factor.'))) expect(e.actorId).toBe(user.user.id);
      expect(JSON.stringify(events)).not.toContain(backupCodes[0]);
    } finally {
      clock.restore();
    }
  });

  it('AU-10 admin disable, enable, 2FA reset, session revocation and deletion are counted and audited with the admin as actor', async () => {
    const target = await signUp(app, 'target@example.com');
    const http = new HttpClient(app.url);
    const act = (method: 'post' | 'delete', path: string) =>
      http[method](`/api/admin/users/${target.user.id}${path}`, { ...(method === 'post' ? { json: {} } : {}), ...bearer(admin.token) });
    const types = ['account.disabled', 'account.enabled', 'two_factor.reset_by_admin', 'session.revoked', 'account.deleted'];
    const before = await scrape();
    expect((await act('post', '/disable')).status).toBe(200);
    expect((await act('post', '/enable')).status).toBe(200);
    expect((await act('post', '/2fa/reset')).status).toBe(200);
    expect((await act('post', '/sessions/revoke')).status).toBe(200);
    expect((await act('delete', '')).status).toBe(200);
    const after = await scrape();
    for (const type of types) expect([type, eventCount(after, type) - eventCount(before, type)]).toEqual([type, 1]);
    const events = await audit(`?userId=${target.user.id}`);
    for (const type of types) {
      expect(events).toEqual(expect.arrayContaining([expect.objectContaining({ type, userId: target.user.id, actorId: admin.user.id })]));
    }
    expect(after).not.toContain(String(target.user.id));
  });
});
