import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TwoFactorRepository } from '../../src/storage';
import { startApp, type RunningApp } from '../support/app.harness';
import { ensureBuilt, runCli } from '../support/cli.harness';
import { HttpClient } from '../support/http';
import { login, register } from '../e2e/auth/auth-helpers';
import { enrol } from '../e2e/two-factor/two-factor-helpers';

const ENV = { PASSWORD_HASH_COST: '4', ALLOW_REGISTRATION: 'true' };

beforeAll(() => ensureBuilt(), 180_000);

describe('CLI reset-2fa', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-2fa-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  async function withApp<T>(check: (app: RunningApp) => Promise<T>): Promise<T> {
    const app = await startApp({ DATA_DIR: dataDir, ...ENV });
    try {
      return await check(app);
    } finally {
      await app.stop();
    }
  }

  it("MF-17 turns a locked-out user's second factor off and ends their sessions", async () => {
    const email = 'locked-out@example.com';
    const { refreshToken, userId } = await withApp(async (app) => {
      await register(new HttpClient(app.url), 'first-admin@example.com');
      const http = new HttpClient(app.url);
      await register(http, email);
      const res = await login(http, email);
      await enrol({ http, token: res.body.token, user: res.body.user, refreshToken: '' }, new Date());
      expect((await login(new HttpClient(app.url), email)).body.twoFAPending).toBe(true);
      return { refreshToken: http.jar.get('refreshToken') ?? '', userId: res.body.user.id as string };
    });

    const result = await runCli(['reset-2fa', 'Locked-Out@example.com'], { DATA_DIR: dataDir, ...ENV, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/two-factor authentication turned off; ended 1 session/);

    await withApp(async (app) => {
      expect(await app.app.get(TwoFactorRepository).find(userId)).toMatchObject({ enabled: false, totpSecret: null, backupCodes: [] });
      const again = await login(new HttpClient(app.url), email);
      expect(again.body).toMatchObject({ token: expect.any(String), user: { twoFactorEnabled: false } });
      const old = new HttpClient(app.url);
      old.jar.set('refreshToken', refreshToken);
      expect((await old.post('/api/auth/refresh')).status).toBe(401);
    });
    const unknown = await runCli(['reset-2fa', 'nobody@example.com'], { DATA_DIR: dataDir, ...ENV, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no user with email nobody@example.com/);
  });
});
