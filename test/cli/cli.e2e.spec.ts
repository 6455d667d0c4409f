import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserRepository } from '../../src/storage';
import { startApp } from '../support/app.harness';
import { ensureBuilt, runCli } from '../support/cli.harness';

describe('admin CLI (dist/cli.js)', () => {
  let dataDir: string;

  beforeAll(async () => {
    ensureBuilt();
    const app = await startApp();
    dataDir = app.dataDir;
    await app.app.get(UserRepository).create({ email: 'Admin@Example.com', name: 'Ada', username: 'ada' }, { firstUserRole: 'ADMIN' });
    await app.stop();
  }, 180_000);

  it('list-users prints the accounts of the store in DATA_DIR', async () => {
    const result = await runCli(['list-users'], { DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[0-9a-f]{24}\tadmin@example\.com\tada\tAda\tlocal\tADMIN\t/m);
    expect(result.stdout).toContain('1 user');
  });

  it('list-users --json never prints password hashes', async () => {
    const result = await runCli(['list-users', '--json'], { DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    const users = JSON.parse(result.stdout);
    expect(users).toHaveLength(1);
    expect(users[0]).not.toHaveProperty('password');
  });

  it('rejects bad options with a clear message and a non-zero exit', async () => {
    const result = await runCli(['list-users', '--limit', 'abc'], { DATA_DIR: dataDir });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--limit: "abc" is not a positive whole number');
  });

  it('rejects unknown commands with a non-zero exit', async () => {
    const result = await runCli(['no-such-command'], { DATA_DIR: dataDir });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unknown command 'no-such-command'/);
  });

  it('check-config validates the environment and names bad variables', async () => {
    const good = await runCli(['check-config'], { DATA_DIR: dataDir });
    expect(good.code).toBe(0);
    expect(good.stdout).toContain(`store:         sqlite in ${dataDir}`);
    expect(good.stdout).toContain('upstreams:     none (CONFIG_PATH not set)');
    const bad = await runCli(['check-config'], { DATA_DIR: dataDir, LOGIN_MAX: 'many' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('LOGIN_MAX: "many" is not a whole number');
  });

  it('check-config lists the upstreams of CONFIG_PATH and names a bad reference in it', async () => {
    const file = path.join(dataDir, 'librechat.yaml');
    fs.writeFileSync(file, 'endpoints:\n  custom:\n    - name: api\n      baseURL: https://api.example\n      headers: { X-Key: "${API_KEY}" }\n');
    const good = await runCli(['check-config'], { DATA_DIR: dataDir, CONFIG_PATH: file, API_KEY: 'k' });
    expect(good.code).toBe(0);
    expect(good.stdout).toContain(`upstreams:     ${file}: endpoint api`);
    const bad = await runCli(['check-config'], { DATA_DIR: dataDir, CONFIG_PATH: file });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`CONFIG_PATH: ${file}: endpoints.custom[0].headers.X-Key refers to \${API_KEY}, which is not set`);
  });

  it('reads a dotenv file named by ENV_FILE, with the real environment winning over it', async () => {
    const file = path.join(dataDir, 'test.env');
    fs.writeFileSync(file, 'LOGIN_MAX=many\n');
    const fromFile = await runCli(['check-config'], { DATA_DIR: dataDir, ENV_FILE: file });
    expect(fromFile.code).toBe(1);
    expect(fromFile.stderr).toContain('LOGIN_MAX: "many" is not a whole number');
    const overridden = await runCli(['check-config'], { DATA_DIR: dataDir, ENV_FILE: file, LOGIN_MAX: '3' });
    expect(overridden.code).toBe(0);
    const missing = await runCli(['check-config'], { DATA_DIR: dataDir, ENV_FILE: path.join(dataDir, 'nope.env') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ENV_FILE: ".*nope\.env" does not exist/);
  });
});
