import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp, type CreateAppOptions } from '../../src/app.factory';
import { loadConfig, type Env, type GatehouseConfig } from '../../src/config';

export interface RunningApp {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  dataDir: string;
  config: GatehouseConfig;
  app: NestExpressApplication;
  /** Closes the app (the store included). The data directory is kept for restart tests. */
  stop(): Promise<void>;
}

/**
 * Boots the real application in this process on an ephemeral loopback port with a fresh
 * DATA_DIR (unless one is given, e.g. to restart on the same data). Environment variables not
 * given here come from nowhere: tests are not affected by the developer's shell.
 */
export async function startApp(env: Env = {}, options: CreateAppOptions = {}): Promise<RunningApp> {
  const dataDir = env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-app-'));
  // A fixed PORT is honoured for peers that must know the app's address before it starts (an IdP's redirect_uri).
  const port = Number(env.PORT ?? 0);
  const loaded = loadConfig({ LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', NODE_ENV: 'test', ...env, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port) });
  if (!loaded.ok) throw new Error(`invalid test configuration:\n${loaded.problems.join('\n')}`);
  const app = await createApp(loaded.config, options);
  await app.listen(port, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('app is not listening on a TCP port');
  const url = `http://127.0.0.1:${address.port}`;
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
      await app.close();
    },
  };
}
