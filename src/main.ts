import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { lowerThreadPoolPriority } from './common/thread-pool-priority';
import { loadConfigFromProcess } from './config';
import { HttpServerGuard } from './http-server';
import { installGracefulShutdown } from './shutdown';

async function bootstrap(): Promise<void> {
  const loaded = loadConfigFromProcess();
  if (!loaded.ok) {
    // Refuse to start before anything listens, naming every bad variable once.
    process.stderr.write(`gatehouse: invalid configuration (${loaded.problems.length} problem${loaded.problems.length === 1 ? '' : 's'}):\n`);
    for (const line of loaded.problems) process.stderr.write(`  ${line}\n`);
    process.exitCode = 1;
    return;
  }
  const { config } = loaded;
  // Before anything uses the thread pool: its threads (password hashing) yield to the event loop.
  const lowered = await lowerThreadPoolPriority();
  const app = await createApp(config);
  const logger = new Logger('Bootstrap');
  logger.debug(`thread pool: ${lowered} threads at lower priority`);
  for (const warning of config.warnings) logger.warn(warning);
  const guard = new HttpServerGuard(app.getHttpServer(), config.server.http);
  installGracefulShutdown(app, guard, { timeoutMs: config.server.shutdownTimeoutMs, readinessDelayMs: config.server.shutdownReadinessDelayMs });
  await app.listen(config.server.port, config.server.host);
  // Up and serving: the entry script may now store V8's code cache for the next start (scripts/cached-entry.js).
  process.emit('gatehouse:warm' as 'beforeExit', 0);
  const url = await app.getUrl();
  logger.log(`Gatehouse listening on ${url} (store: ${config.storage.kind}, data: ${config.storage.kind === 'sqlite' ? config.storage.dataDir : 'mongodb'})`);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`gatehouse: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
