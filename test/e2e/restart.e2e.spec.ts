import { SessionRepository, UserRepository } from '../../src/storage';
import { startApp } from '../support/app.harness';

describe('startApp harness: restart on the same DATA_DIR', () => {
  it('keeps users, sessions and generated development secrets across a restart', async () => {
    const first = await startApp();
    const user = await first.app.get(UserRepository).create({ email: 'keep@example.com' });
    const session = await first.app.get(SessionRepository).create({ userId: user.id, tokenHash: 'h'.repeat(64), expiresAt: new Date(Date.now() + 60_000) });
    const secrets = first.config.secrets;
    await first.stop();

    const second = await startApp({ DATA_DIR: first.dataDir });
    try {
      expect(second.port).not.toBe(0);
      expect(second.config.secrets).toEqual(secrets);
      expect((await second.app.get(UserRepository).findByEmail('KEEP@example.com'))?.id).toBe(user.id);
      expect((await second.app.get(SessionRepository).findById(session.id))?.userId).toBe(user.id);
      expect((await fetch(`${second.url}/health/ready`)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
