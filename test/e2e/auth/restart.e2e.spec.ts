import { UserRepository } from '../../../src/storage';
import { HttpClient } from '../../support/http';
import { bearer, signUp, startAuthApp } from './auth-helpers';

describe('sessions survive a restart on the same DATA_DIR', () => {
  it('the old refresh cookie still refreshes and the user still exists', async () => {
    const first = await startAuthApp();
    let ada;
    try {
      ada = await signUp(first, 'ada@example.com');
    } finally {
      await first.stop();
    }

    const second = await startAuthApp({ DATA_DIR: first.dataDir });
    try {
      expect((await second.app.get(UserRepository).findById(ada.user.id))?.email).toBe('ada@example.com');
      // Same cookie jar, new port: carry the cookie over by hand.
      const http = new HttpClient(second.url);
      http.jar.set('refreshToken', ada.refreshToken);
      const res = await http.post('/api/auth/refresh');
      expect(res.status).toBe(200);
      expect(res.body.user.id).toBe(ada.user.id);
      expect((await http.get('/api/user', bearer(res.body.token))).body.email).toBe('ada@example.com');
      // An access token minted before the restart is still valid too (secrets persisted).
      expect((await http.get('/api/user', bearer(ada.token))).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
