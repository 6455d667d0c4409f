import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { LifecycleState } from './health';

/**
 * SIGTERM/SIGINT: readiness turns 503, the server stops accepting, in-flight requests finish,
 * then modules close (the store last). A stuck drain is cut off after `timeoutMs` (RL-08).
 */
export function installGracefulShutdown(app: INestApplication, timeoutMs: number): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining`);
    app.get(LifecycleState).startDraining();
    const timer = setTimeout(() => {
      logger.error(`drain did not finish within ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app
      .close()
      .then(() => {
        logger.log('stopped');
        clearTimeout(timer);
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error(`shutdown failed: ${String(error)}`);
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
