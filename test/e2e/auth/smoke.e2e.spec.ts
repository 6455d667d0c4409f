import { HttpClient } from '../../support/http';
import { startApp, type RunningApp } from '../../support/app.harness';

describe('local account smoke: register → login → user → refresh → logout', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp({ ALLOW_REGISTRATION: 'true', PASSWORD_HASH_COST: '4' });
  });
  afterAll(() => app.stop());

  it('walks the whole local flow', async () => {
    const http = new HttpClient(app.url);
    const reg = await http.post('/api/auth/register', {
      json: { name: 'Ada', email: 'Ada@Example.com', password: 'correct horse battery', confirm_password: 'correct horse battery' },
    });
    expect(reg.status).toBe(200);
    const login = await http.post('/api/auth/login', { json: { email: 'ada@example.com', password: 'correct horse battery' } });
    expect(login.status).toBe(200);
    const body = login.body as { token: string; user: { id: string; role: string; email: string } };
    expect(body.user).toMatchObject({ email: 'ada@example.com', role: 'ADMIN' });
    expect(http.jar.get('refreshToken')).toBeTruthy();
    const me = await http.get('/api/user', { headers: { authorization: `Bearer ${body.token}` } });
    expect(me.status).toBe(200);
    const refresh = await http.post('/api/auth/refresh');
    expect(refresh.status).toBe(200);
    expect((refresh.body as { user: { id: string } }).user.id).toBe(body.user.id);
    const out = await http.post('/api/auth/logout');
    expect(out.status).toBe(200);
    const after = await http.post('/api/auth/refresh');
    expect(after.body).toBe('Refresh token not provided');
  });
});
