import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { LifecycleState } from './health';
import type { HttpServerGuard } from './http-server';

export interface ShutdownSettings {
  /** SHUTDOWN_TIMEOUT: a drain still running after this exits with status 1. */
  timeoutMs: number;
  /** SHUTDOWN_READINESS_DELAY: readiness answers 503 this long before the listener closes. */
  readinessDelayMs: number;
}

/**
 * SIGTERM/SIGINT (RL-08, RL-14):
 * 1. readiness turns 503 and every response from now on carries `Connection: close`, so
 *    keep-alive clients and proxies move to other instances after their current request;
 * 2. for SHUTDOWN_READINESS_DELAY requests are still served, so a load balancer has time to see
 *    the 503 and nothing it still sends is refused;
 * 3. the listener closes, idle connections are closed, busy ones end after their response;
 * 4. then modules close (the mail worker hands back unsent mail, the store closes last), exit 0.
 * A drain still running after SHUTDOWN_TIMEOUT is cut off with exit status 1.
 */
export function installGracefulShutdown(app: INestApplication, guard: HttpServerGuard, settings: ShutdownSettings): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: draining (readiness 503 for ${settings.readinessDelayMs} ms, then closing connections)`);
    app.get(LifecycleState).startDraining();
    guard.startDraining();
    const timer = setTimeout(() => {
      logger.error(`drain did not finish within ${settings.timeoutMs} ms; exiting`);
      process.exit(1);
    }, settings.timeoutMs);
    timer.unref();
    new Promise((resolve) => setTimeout(resolve, settings.readinessDelayMs))
      .then(() => guard.close())
      .then(() => app.close())
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
