import { Clock } from '../../../src/common/clock';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { bearer, login, refreshWith, startAuthApp, type SignedInClient } from '../auth/auth-helpers';
import { signUpFresh as signUp } from '../moderation/moderation-helpers';
import { sample } from './metrics-sample';

jest.setTimeout(120_000);

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const BANNED_IP = '198.51.100.77';
const GUESSING_IP = '198.51.100.78';

/** Refresh outcomes and bans: each moves its counter (scrape, act, scrape) and leaves an audit event. */
describe('refresh and ban events (issue 22)', () => {
  let app: RunningApp;
  let admin: SignedInClient;
  let user: SignedInClient;
  const scrape = async () => {
    const res = await new HttpClient(app.url).get('/metrics', bearer(METRICS_TOKEN));
    expect(res.status).toBe(200);
    return res.text;
  };
  /** Runs `act` and returns how much each named series moved. */
  const moved = async (act: () => Promise<void>, series: Array<[string, Record<string, string>]>) => {
    const before = await scrape();
    await act();
    const after = await scrape();
    return series.map(([name, labels]) => sample(after, name, labels) - sample(before, name, labels));
  };
  const audit = async (query: string) => {
    const res = await new HttpClient(app.url).get(`/api/admin/audit${query}`, bearer(admin.token));
    expect(res.status).toBe(200);
    return res.body.events as Array<Record<string, unknown>>;
  };

  beforeAll(async () => {
    app = await startAuthApp({
      METRICS_ENABLED: 'true',
      METRICS_TOKEN,
      TRUST_PROXY: '1',
      REFRESH_TOKEN_REUSE_GRACE: '5000',
      BAN_VIOLATIONS: 'true',
      BAN_INTERVAL: '3',
      BAN_DURATION: '3600000',
      LOGIN_MAX: '1',
      LOGIN_WINDOW: '5',
      LOGIN_FAILURE_DELAY_AFTER: '0',
    });
    admin = await signUp(app, 'admin@example.com');
    user = await signUp(app, 'user@example.com');
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('AU-07 a replay inside the grace window is counted and audited; after it, reuse is detected and audited', async () => {
    const first = user.refreshToken;
    const rotated = await refreshWith(app, first);
    expect(rotated.status).toBe(200);
    const [grace] = await moved(async () => {
      expect((await refreshWith(app, first)).status).toBe(200);
    }, [['gatehouse_refreshes_total', { outcome: 'reused_within_grace' }]]);
    expect(grace).toBe(1);
    const clock = app.app.get(Clock);
    const [reuse] = await moved(async () => {
      const later = jest.spyOn(clock, 'now').mockReturnValue(new Date(Date.now() + 10_000));
      try {
        expect((await refreshWith(app, first)).status).toBe(401);
      } finally {
        later.mockRestore();
      }
    }, [['gatehouse_refreshes_total', { outcome: 'reuse_detected' }]]);
    expect(reuse).toBe(1);
    expect(await audit(`?userId=${user.user.id}&type=refresh.reused_within_grace`)).toHaveLength(1);
    const [detected] = await audit(`?userId=${user.user.id}&type=refresh.reuse_detected`);
    expect(detected).toMatchObject({ method: 'refresh', reason: 'superseded_token' });
  });

  it('AU-07 a forged refresh token is counted and audited as refused_invalid, without the token', async () => {
    const [invalid] = await moved(async () => {
      expect((await refreshWith(app, 'not.a.token')).status).toBe(401);
    }, [['gatehouse_refreshes_total', { outcome: 'refused_invalid' }]]);
    expect(invalid).toBe(1);
    const [event] = await audit('?type=refresh.failed');
    expect(event).toMatchObject({ type: 'refresh.failed', userId: null, method: 'refresh', reason: 'invalid' });
    expect(JSON.stringify(event)).not.toContain('not.a.token');
  });

  it('AU-08 an admin ban and its lift are counted as manual and audited with the admin as actor; a banned refresh is audited', async () => {
    const http = new HttpClient(app.url);
    const victim = await signUp(app, 'victim@example.com');
    const [added] = await moved(async () => {
      expect((await http.post('/api/admin/bans', { json: { ip: BANNED_IP, duration: '1h' }, ...bearer(admin.token) })).status).toBe(201);
    }, [['gatehouse_bans_total', { action: 'added', kind: 'manual' }]]);
    expect(added).toBe(1);
    const [banEvent] = await audit('?type=ban.added');
    expect(banEvent).toMatchObject({ actorId: admin.user.id, reason: 'manual', userId: null, details: expect.objectContaining({ subject: 'ip' }) });

    const [refused] = await moved(async () => {
      expect((await refreshWith(app, victim.refreshToken, { 'x-forwarded-for': BANNED_IP })).status).toBe(403);
    }, [['gatehouse_refreshes_total', { outcome: 'refused_banned' }]]);
    expect(refused).toBe(1);
    const [failed] = await audit(`?userId=${victim.user.id}&type=refresh.failed`);
    expect(failed).toMatchObject({ reason: 'banned', ip: BANNED_IP });

    const [lifted] = await moved(async () => {
      expect((await http.delete(`/api/admin/bans/${encodeURIComponent(`ip:${BANNED_IP}`)}`, bearer(admin.token))).status).toBe(200);
    }, [['gatehouse_bans_total', { action: 'lifted', kind: 'manual' }]]);
    expect(lifted).toBe(1);
    expect((await audit('?type=ban.lifted'))[0]).toMatchObject({ actorId: admin.user.id, reason: 'manual' });
  });

  it('AU-08 an automatic ban (limiter violations) is counted as automatic and audited without an actor', async () => {
    const http = new HttpClient(app.url);
    const [auto] = await moved(async () => {
      for (let i = 0; i < 4; i++) await login(http, 'nobody@example.com', 'wrong password', { 'x-forwarded-for': GUESSING_IP });
    }, [['gatehouse_bans_total', { action: 'added', kind: 'automatic' }]]);
    expect(auto).toBe(1);
    expect((await audit('?type=ban.added'))[0]).toMatchObject({ actorId: null, reason: 'automatic', ip: GUESSING_IP });
  });

  it('AU-08 a sign-in from a banned address, refused before the password check, is counted and audited as banned', async () => {
    const http = new HttpClient(app.url);
    const [banned] = await moved(async () => {
      const res = await login(http, 'user@example.com', 'correct horse battery', { 'x-forwarded-for': GUESSING_IP });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('BANNED');
    }, [['gatehouse_sign_ins_total', { outcome: 'banned' }]]);
    expect(banned).toBe(1);
    const [event] = await audit('?type=sign_in.failed');
    expect(event).toMatchObject({ reason: 'banned', ip: GUESSING_IP, details: { limit: 'login', refusedBefore: 'credentials' } });
  });

  it('AU-01 the new series carry no user id or email', async () => {
    const text = await scrape();
    for (const id of [admin.user.id, user.user.id]) expect(text).not.toContain(String(id));
    expect(text).not.toMatch(/@example\.com/);
    expect(text).not.toContain(BANNED_IP);
  });
});
