import { Clock } from '../../../src/common/clock';
import { SessionRepository } from '../../../src/storage';
import { sha256Hex } from '../../../src/sessions';
import type { RunningApp } from '../../support/app.harness';
import { holdClock } from '../../support/clock';
import { HttpClient } from '../../support/http';
import { bearer, cookie, refreshWith, signIn, signUp, startAuthApp } from './auth-helpers';

async function rotate(app: RunningApp, token: string): Promise<string> {
  const res = await refreshWith(app, token);
  if (res.status !== 200) throw new Error(`refresh failed: ${res.status} ${res.text}`);
  return cookie(res, 'refreshToken')?.value ?? '';
}

describe('POST /api/auth/refresh: rotation with the default grace window', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAuthApp({ REFRESH_TOKEN_REUSE_GRACE: '60000' });
    await signUp(app, 'admin@example.com');
  });
  afterAll(() => app.stop());

  it('returns { token, user } with user.id and a rotated refresh cookie', async () => {
    const ada = await signUp(app, 'ada@example.com');
    const res = await ada.http.post('/api/auth/refresh');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ token: expect.any(String), user: expect.objectContaining({ id: ada.user.id, _id: ada.user.id, email: 'ada@example.com' }) });
    expect(res.body.user).not.toHaveProperty('password');
    const rotated = cookie(res, 'refreshToken');
    expect(rotated?.value).toBeTruthy();
    expect(rotated?.value).not.toBe(ada.refreshToken);
    expect(cookie(res, 'token_provider')?.value).toBe('librechat');
    expect((await ada.http.get('/api/user', bearer(res.body.token))).status).toBe(200);
  });

  it('SE-04 keeps the absolute session end: cookie Expires and stored expiry never move', async () => {
    const http = new HttpClient(app.url);
    const loginRes = await http.post('/api/auth/login', { json: { email: 'ada@example.com', password: 'correct horse battery' } });
    const firstExpiry = cookie(loginRes, 'refreshToken')?.expires?.getTime();
    expect(firstExpiry).toBeDefined();
    const sessionsBefore = await app.app.get(SessionRepository).listByUser(loginRes.body.user.id, new Date());
    // Expires has one-second resolution: a sliding expiry would show once the clock moved a minute.
    const clock = holdClock(app);
    try {
      for (let i = 0; i < 3; i++) {
        clock.advance(i === 0 ? 60_000 : 0);
        const res = await http.post('/api/auth/refresh');
        expect(res.status).toBe(200);
        expect(cookie(res, 'refreshToken')?.expires?.getTime()).toBe(firstExpiry);
        expect(cookie(res, 'token_provider')?.expires?.getTime()).toBe(firstExpiry);
      }
    } finally {
      clock.restore();
    }
    const sessionsAfter = await app.app.get(SessionRepository).listByUser(loginRes.body.user.id, new Date());
    const byId = (id: string) => sessionsAfter.find((s) => s.id === id)?.expiresAt.getTime();
    for (const s of sessionsBefore) expect(byId(s.id)).toBe(s.expiresAt.getTime());
  });

  it('SE-03 two concurrent refreshes with one cookie both succeed with the same successor; the session lives on', async () => {
    const ada = await signIn(app, 'ada@example.com');
    const [a, b] = await Promise.all([refreshWith(app, ada.refreshToken), refreshWith(app, ada.refreshToken)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const successor = cookie(a, 'refreshToken')?.value;
    expect(successor).toBeTruthy();
    expect(cookie(b, 'refreshToken')?.value).toBe(successor);
    expect(successor).not.toBe(ada.refreshToken);
    const third = await refreshWith(app, successor ?? '');
    expect(third.status).toBe(200);
    expect(cookie(third, 'refreshToken')?.value).not.toBe(successor);
  });

  it('SE-03 a 40-way refresh race with one cookie is answered with one successor, and the session lives on', async () => {
    const ada = await signIn(app, 'ada@example.com');
    const answers = await Promise.all(Array.from({ length: 40 }, () => refreshWith(app, ada.refreshToken)));
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
    const successors = new Set(answers.map((a) => cookie(a, 'refreshToken')?.value));
    expect(successors.size).toBe(1);
    expect((await refreshWith(app, [...successors][0] ?? '')).status).toBe(200);
  });

  it('SE-03 a late tab replaying the just-replaced token inside the grace window gets the same successor', async () => {
    const ada = await signIn(app, 'ada@example.com');
    const successor = await rotate(app, ada.refreshToken);
    expect(await rotate(app, ada.refreshToken)).toBe(successor);
    expect(await rotate(app, successor)).toBeTruthy();
  });

  it('RL-15 a straggling tab presenting rt0 after rt0→rt1→rt2, inside the grace window, gets the current token; the session lives on', async () => {
    const ada = await signIn(app, 'ada@example.com');
    const rt1 = await rotate(app, ada.refreshToken);
    const rt2 = await rotate(app, rt1);
    // Within a second, the tab that slept through both refreshes.
    const late = await refreshWith(app, ada.refreshToken);
    expect(late.status).toBe(200);
    expect(cookie(late, 'refreshToken')?.value).toBe(rt2);
    expect(await rotate(app, rt1)).toBe(rt2);
    // The chain goes on from the current token.
    const rt3 = await rotate(app, rt2);
    expect(rt3).not.toBe(rt2);
    expect((await refreshWith(app, rt3)).status).toBe(200);
  });

  it('RL-15 outside the grace window a token two generations old is a replay: the session is revoked', async () => {
    const ada = await signIn(app, 'ada@example.com');
    const rt1 = await rotate(app, ada.refreshToken);
    const rt2 = await rotate(app, rt1);
    const clock = app.app.get(Clock);
    const real = clock.now.bind(clock);
    const moved = jest.spyOn(clock, 'now').mockImplementation(() => new Date(real().getTime() + 61_000));
    try {
      const replay = await refreshWith(app, ada.refreshToken);
      expect(replay.status).toBe(401);
      expect(replay.body).toEqual({ message: expect.any(String), code: 'REFRESH_TOKEN_REUSED' });
      expect((await refreshWith(app, rt2)).status).toBe(401);
    } finally {
      moved.mockRestore();
    }
  });

  it('SE-05 stores only the SHA-256 of the refresh token, never the token', async () => {
    const ada = await signIn(app, 'ada@example.com');
    const rotated = await rotate(app, ada.refreshToken);
    const sessions = await app.app.get(SessionRepository).listByUser(ada.user.id, new Date());
    const current = sessions.find((s) => s.tokenHash === sha256Hex(rotated));
    expect(current).toBeDefined();
    expect(current?.previousTokenHash).toBe(sha256Hex(ada.refreshToken));
    const dump = JSON.stringify(sessions);
    for (const raw of [ada.refreshToken, rotated]) {
      expect(dump).not.toContain(raw);
      // Neither the signature nor the payload segment alone may be kept.
      for (const part of raw.split('.').slice(1)) expect(dump).not.toContain(part);
    }
  });
});

describe('POST /api/auth/refresh: reuse detection without a grace window (SE-02)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAuthApp({ REFRESH_TOKEN_REUSE_GRACE: '0' });
    await signUp(app, 'ada@example.com');
  });
  afterAll(() => app.stop());

  it('SE-02 replaying the replaced token answers 401 REFRESH_TOKEN_REUSED and revokes the current one too', async () => {
    const ada = await signIn(app, 'ada@example.com');
    const current = await rotate(app, ada.refreshToken);
    const sessions = app.app.get(SessionRepository);
    const session = (await sessions.findByTokenHash(sha256Hex(current), new Date()))?.session;
    expect(session).toBeDefined();
    // A grace of 0 ms still admits a replay within the same millisecond as the rotation.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const replay = await refreshWith(app, ada.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ message: expect.any(String), code: 'REFRESH_TOKEN_REUSED' });
    const after = await refreshWith(app, current);
    expect(after.status).toBe(401);
    expect(await sessions.findById(session?.id ?? '')).toBeNull();
  });

  it('SE-02 replaying a token two generations old revokes the family as well', async () => {
    const ada = await signIn(app, 'ada@example.com');
    const other = await signIn(app, 'ada@example.com');
    const t1 = await rotate(app, ada.refreshToken);
    const t2 = await rotate(app, t1);
    const replay = await refreshWith(app, ada.refreshToken);
    expect(replay.body.code).toBe('REFRESH_TOKEN_REUSED');
    expect((await refreshWith(app, t2)).status).toBe(401);
    // Only the compromised session ends; the user's other device stays signed in.
    expect((await refreshWith(app, other.refreshToken)).status).toBe(200);
  });
});
