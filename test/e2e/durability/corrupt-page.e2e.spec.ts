import * as path from 'node:path';
import { startApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { corruptTableRootPage } from '../../support/sqlite/corrupt-page';
import { PASSWORD } from '../auth/auth-helpers';

/**
 * RL-16: one overwritten b-tree page of the users table. Before, the service booted, readiness
 * said 200 and some logins answered 503 "database disk image is malformed". Now the boot check
 * finds it: readiness answers 503 ("store corrupt") and stays so; requests touching the page
 * answer 503, never a 401 or a crash.
 */
describe('a damaged database file', () => {
  it('RL-16 one overwritten users page: readiness 503 from boot, logins answer 503 SERVICE_UNAVAILABLE', async () => {
    const first = await startApp({ ALLOW_REGISTRATION: 'true', PASSWORD_HASH_COST: '4' });
    const client = new HttpClient(first.url);
    for (let i = 0; i < 9; i++) {
      const res = await client.post('/api/auth/register', {
        json: { name: `User ${i}`, email: `user${i}@example.com`, password: PASSWORD, confirm_password: PASSWORD },
      });
      expect(res.status).toBe(200);
    }
    await first.stop();
    corruptTableRootPage(path.join(first.dataDir, 'gatehouse.db'), 'users');

    const second = await startApp({ DATA_DIR: first.dataDir, ALLOW_REGISTRATION: 'true', PASSWORD_HASH_COST: '4' });
    try {
      const http = new HttpClient(second.url);
      const ready = await http.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ code: 'NOT_READY', details: { store: { status: 'down', message: 'store corrupt' } } });
      // The probe says why without naming paths to the outside.
      expect(ready.text).not.toContain(first.dataDir);
      expect((await http.get('/health')).status).toBe(200);
      // A request that meets the damage answers 503, never 401 ("signed out") or 500.
      const answers: string[] = [];
      for (let i = 0; i < 9; i++) {
        const login = await http.post('/api/auth/login', { json: { email: `user${i}@example.com`, password: PASSWORD } });
        answers.push(login.status === 200 ? '200' : `${login.status} ${login.body?.code}`);
      }
      expect(answers.filter((a) => a !== '200' && a !== '503 SERVICE_UNAVAILABLE')).toEqual([]);
      expect(answers).toContain('503 SERVICE_UNAVAILABLE');
      expect((await http.get('/health/ready')).status).toBe(503);
    } finally {
      await second.stop();
    }
  });
});
