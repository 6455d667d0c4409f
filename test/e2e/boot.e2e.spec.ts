import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, isListening } from '../support/free-port';
import { ensureMainBuilt, startMainProcess as startProcess, waitFor200 } from '../support/main-process';

describe('process boot (dist/main.js)', () => {
  beforeAll(() => ensureMainBuilt(), 180_000);

  it('RL-11 refuses to start on bad configuration, naming every problem, before listening', async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-boot-'));
    const run = startProcess({ OPENID_ISSUER: 'notaurl', EMAIL_PORT: 'abc', NODE_ENV: 'production', PORT: String(port), DATA_DIR: dataDir });
    const code = await run.exited;
    expect(code).not.toBe(0);
    const out = run.output();
    for (const name of ['OPENID_ISSUER', 'EMAIL_PORT', 'JWT_SECRET', 'JWT_REFRESH_SECRET']) expect(out).toMatch(new RegExp(`^\\s+${name}: `, 'm'));
    expect(out).toContain('OPENID_ISSUER: "notaurl" is not an absolute http(s) URL');
    expect(await isListening(port)).toBe(false);
  });

  it('starts on the embedded store, serves /health, /api/docs with its assets and the sign-in page, and exits cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-boot-'));
    const run = startProcess({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    try {
      await waitFor200(`http://127.0.0.1:${port}/health`, 60_000);
      expect((await fetch(`http://127.0.0.1:${port}/api/docs`)).status).toBe(200);
      // Files read from disk by path still resolve in the single-file bundle (scripts/bundle.js):
      // swagger-ui's own assets, the sign-in page and its scripts from web/.
      const uiBundle = await fetch(`http://127.0.0.1:${port}/api/docs/swagger-ui-bundle.js`);
      expect(uiBundle.status).toBe(200);
      expect((await uiBundle.text()).length).toBeGreaterThan(100_000);
      const page = await fetch(`http://127.0.0.1:${port}/login`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      expect((await fetch(`http://127.0.0.1:${port}/assets/app.js`)).status).toBe(200);
      expect(fs.existsSync(path.join(dataDir, 'gatehouse.db'))).toBe(true);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(run.output()).toMatch(/SIGTERM received/);
      expect(await isListening(port)).toBe(false);
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 90_000);

  it('keeps the class names Nest and the API document read, although the bundle names arrow functions lazily (scripts/bundle.js)', async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-boot-'));
    const run = startProcess({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'debug' });
    try {
      await waitFor200(`http://127.0.0.1:${port}/health`, 60_000);
      // tsc compiles a self-referencing decorated class to `ConfigModule_1 = class`: without the
      // bundle's naming it would report itself as "ConfigModule_1".
      expect(run.output()).toContain('ConfigModule dependencies initialized');
      expect(run.output()).toContain('AppModule dependencies initialized');
      expect(run.output()).not.toMatch(/"\w+_\d+ dependencies initialized/);
      const document = (await (await fetch(`http://127.0.0.1:${port}/api/docs-json`)).json()) as { components: { schemas: Record<string, unknown> } };
      expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['Liveness', 'Readiness', 'SignedIn', 'User']));
    } finally {
      run.child.kill('SIGKILL');
      await run.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
