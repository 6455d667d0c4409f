import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, type CreateAppOptions } from '../../src/app.factory';
import { buildApiDocument } from '../../src/common/openapi';
import { registerContract } from './contract/api-contract';
import { freePort } from './free-port';
import { loadConfig, type Env, type GatehouseConfig } from '../../src/config';

export interface RunningApp {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  dataDir: string;
  config: GatehouseConfig;
  app: NestFastifyApplication;
  /** Closes the app (the store included). The data directory is kept for restart tests. */
  stop(): Promise<void>;
}

/**
 * Boots the real application in this process on an ephemeral loopback port with a fresh
 * DATA_DIR (unless one is given, e.g. to restart on the same data). Environment variables not
 * given here come from nowhere: tests are not affected by the developer's shell.
 */
/**
 * Suites that are not about moderation make far more requests from 127.0.0.1 than LibreChat's
 * per-IP limits allow; they get limits out of their way. Moderation suites pass their own values.
 */
export const RELAXED_LIMITS: Env = {
  LOGIN_MAX: '100000',
  REGISTER_MAX: '100000',
  RESET_PASSWORD_MAX: '100000',
  VERIFY_EMAIL_MAX: '100000',
  LOGIN_FAILURE_DELAY_AFTER: '0',
};

/**
 * Data directories the harness created in this test file. Removed once the file's tests are done,
 * not at stop(): a test may stop an app and start another on the same directory (restarts).
 */
const createdDirs = new Set<string>();
afterAll(() => {
  for (const dir of createdDirs) fs.rmSync(dir, { recursive: true, force: true });
  createdDirs.clear();
});

export async function startApp(env: Env = {}, options: CreateAppOptions = {}): Promise<RunningApp> {
  const dataDir = env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-app-'));
  if (!env.DATA_DIR) createdDirs.add(dataDir);
  // A fixed PORT is honoured for peers that must know the app's address before it starts (an IdP's redirect_uri).
  const port = Number(env.PORT ?? 0);
  // TEST_LOG_LEVEL=info shows the app's logs while debugging a suite; silent otherwise.
  // Loopback unless a test host address is named (the network-namespace suites).
  const host = env.HOST ?? '127.0.0.1';
  const loaded = loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    ...RELAXED_LIMITS,
    ...env,
    DATA_DIR: dataDir,
    HOST: host,
    PORT: String(port),
  });
  if (!loaded.ok) throw new Error(`invalid test configuration:\n${loaded.problems.join('\n')}`);
  const app = await createApp(loaded.config, options);
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('app is not listening on a TCP port');
  const url = `http://${host}:${address.port}`;
  // Every answer HttpClient receives from this app is checked against its OpenAPI document.
  const forgetContract = registerContract(address.port, buildApiDocument(app, loaded.config.server.appTitle));
  let stopped = false;
  return {
    url,
    port: address.port,
    dataDir,
    config: loaded.config,
    app,
    async stop() {
      if (stopped) return;
      stopped = true;
      forgetContract();
      await app.close();
    },
  };
}

/**
 * An app whose public origin is its real address, `http://localhost:<port>` (what a browser
 * sees), so same-site checks, cookies and redirects behave as in a deployment.
 */
export async function startAppOnOwnOrigin(env: Env = {}): Promise<RunningApp & { origin: string }> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const app = await startApp({ DOMAIN_SERVER: origin, ...env, PORT: String(port) });
  return Object.assign(app, { origin });
}
