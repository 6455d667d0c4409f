import type { RunningApp } from '../../support/app.harness';
import { HttpClient, type HttpResponse, type Json } from '../../support/http';
import { PASSWORD, bearer, cookie, isCleared, login, refreshWith, signIn, signUp, startAuthApp } from './auth-helpers';

function expectClearing(res: HttpResponse): void {
  for (const name of ['refreshToken', 'token_provider']) {
    const c = cookie(res, name);
    expect({ name, cleared: isCleared(c) }).toEqual({ name, cleared: true });
    expect(c).toMatchObject({ path: '/', httpOnly: true, sameSite: 'Strict' });
  }
}

describe('POST /api/auth/logout', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAuthApp();
    await signUp(app, 'ada@example.com');
  });
  afterAll(() => app.stop());

  it('ends only the presented session; the other device still refreshes (LibreChat defect D-3 fixed)', async () => {
    const laptop = await signIn(app, 'ada@example.com');
    const phone = await signIn(app, 'ada@example.com');
    const res = await laptop.http.post('/api/auth/logout');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Logout successful' });
    expect(laptop.http.jar.get('refreshToken')).toBeUndefined();
    expect((await refreshWith(app, laptop.refreshToken)).status).toBe(401);
    expect((await phone.http.post('/api/auth/refresh')).status).toBe(200);
  });

  it('SE-10 the clearing Set-Cookie repeats Path=/, HttpOnly and SameSite=Strict', async () => {
    const ada = await signIn(app, 'ada@example.com');
    expectClearing(await ada.http.post('/api/auth/logout'));
  });

  it('without a cookie answers 200, clears the cookies and ends no session (not even with a bearer token)', async () => {
    const a = await signIn(app, 'ada@example.com');
    const b = await signIn(app, 'ada@example.com');
    const before = (await a.http.get('/api/auth/sessions', bearer(a.token))).body.length;
    const res = await new HttpClient(app.url).post('/api/auth/logout', bearer(a.token));
    expect(res.status).toBe(200);
    expectClearing(res);
    expect((await a.http.get('/api/auth/sessions', bearer(a.token))).body).toHaveLength(before);
    expect((await a.http.post('/api/auth/refresh')).status).toBe(200);
    expect((await b.http.post('/api/auth/refresh')).status).toBe(200);
  });

  it('after a rotation, logging out with the fresh cookie ends the session', async () => {
    const ada = await signIn(app, 'ada@example.com');
    expect((await ada.http.post('/api/auth/refresh')).status).toBe(200);
    const fresh = ada.http.jar.get('refreshToken') ?? '';
    expect((await ada.http.post('/api/auth/logout')).status).toBe(200);
    expect((await refreshWith(app, fresh)).status).toBe(401);
  });
});

describe('GET/DELETE /api/auth/sessions', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAuthApp();
    await signUp(app, 'ada@example.com');
    await signUp(app, 'eve@example.com');
  });
  afterAll(() => app.stop());

  async function device(agent: string): Promise<{ http: HttpClient; token: string; userId: string }> {
    const http = new HttpClient(app.url);
    const res = await login(http, 'ada@example.com', PASSWORD, { 'user-agent': agent });
    return { http, token: res.body.token, userId: res.body.user.id };
  }

  it('lists own sessions with createdAt, lastUsedAt, userAgent, ip and marks the current one', async () => {
    const laptop = await device('Laptop/1.0');
    const phone = await device('Phone/2.0');
    const res = await laptop.http.get('/api/auth/sessions', bearer(laptop.token));
    expect(res.status).toBe(200);
    const list = res.body as Json[];
    const mine = list.find((s) => s.userAgent === 'Laptop/1.0');
    expect(mine).toMatchObject({ id: expect.any(String), current: true, ip: expect.stringMatching(/127\.0\.0\.1/), provider: 'local' });
    for (const field of ['createdAt', 'lastUsedAt', 'expiresAt']) expect(Number.isNaN(Date.parse(mine[field]))).toBe(false);
    expect(list.find((s) => s.userAgent === 'Phone/2.0')).toMatchObject({ current: false });
    expect(list.filter((s) => s.current)).toHaveLength(1);
    expect(JSON.stringify(list)).not.toMatch(/tokenHash|previousTokenHash|refreshToken/);

    // The access token minted by a refresh still points at the same session.
    const refreshed = await phone.http.post('/api/auth/refresh');
    const seen = (await phone.http.get('/api/auth/sessions', bearer(refreshed.body.token))).body as Json[];
    const phoneRow = seen.find((s) => s.userAgent === 'Phone/2.0');
    expect(phoneRow.current).toBe(true);
    expect(Date.parse(phoneRow.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(phoneRow.createdAt));
  });

  it("never lists another user's sessions", async () => {
    const eve = await signIn(app, 'eve@example.com');
    const list = (await eve.http.get('/api/auth/sessions', bearer(eve.token))).body as Json[];
    const ada = await device('Ada/1');
    const adaIds = ((await ada.http.get('/api/auth/sessions', bearer(ada.token))).body as Json[]).map((s) => s.id);
    expect(list.some((s) => adaIds.includes(s.id))).toBe(false);
  });

  it('DELETE revokes one session: its refresh fails, the others keep working', async () => {
    const keep = await device('Keep/1');
    const drop = await device('Drop/1');
    const list = (await keep.http.get('/api/auth/sessions', bearer(keep.token))).body as Json[];
    const target = list.find((s) => s.userAgent === 'Drop/1');
    const res = await keep.http.delete(`/api/auth/sessions/${target.id}`, bearer(keep.token));
    expect(res.status).toBe(200);
    expect((await drop.http.post('/api/auth/refresh')).status).toBe(401);
    expect((await keep.http.post('/api/auth/refresh')).status).toBe(200);
    const again = await keep.http.delete(`/api/auth/sessions/${target.id}`, bearer(keep.token));
    expect(again.status).toBe(404);
  });

  it("DELETE of someone else's session answers 404 SESSION_NOT_FOUND and leaves it alive", async () => {
    const ada = await device('Victim/1');
    const adaSession = ((await ada.http.get('/api/auth/sessions', bearer(ada.token))).body as Json[]).find((s) => s.current);
    const eve = await signIn(app, 'eve@example.com');
    for (const id of [adaSession.id, 'no-such-session', '00000000-0000-4000-8000-000000000000']) {
      const res = await eve.http.delete(`/api/auth/sessions/${id}`, bearer(eve.token));
      expect({ id, status: res.status, body: res.body }).toEqual({ id, status: 404, body: { message: expect.any(String), code: 'SESSION_NOT_FOUND' } });
    }
    expect((await ada.http.post('/api/auth/refresh')).status).toBe(200);
  });

  it('both endpoints need a bearer token; the refresh cookie alone is not enough', async () => {
    const ada = await device('Cookie/1');
    const list = await ada.http.get('/api/auth/sessions');
    expect(list.status).toBe(401);
    expect(list.body.code).toBe('TOKEN_MISSING');
    const del = await ada.http.delete('/api/auth/sessions/anything');
    expect(del.status).toBe(401);
  });

  it('are described in the OpenAPI document with bearer security', async () => {
    const doc = (await new HttpClient(app.url).get('/api/docs-json')).body;
    expect(doc.paths['/api/auth/sessions']?.get?.security).toEqual(expect.arrayContaining([{ bearer: [] }]));
    expect(doc.paths['/api/auth/sessions/{id}']?.delete?.security).toEqual(expect.arrayContaining([{ bearer: [] }]));
    expect(doc.paths['/api/auth/sessions/{id}'].delete.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path' })]));
  });
});
