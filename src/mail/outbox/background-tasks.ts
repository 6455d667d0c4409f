import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

/**
 * Work a request starts but does not wait for (queueing a reset mail), so the response cannot
 * reveal through its timing whether that work happened (EN-03). Shutdown waits for what is
 * still running, so a queued mail is not lost to a restart.
 */
@Injectable()
export class BackgroundTasks implements BeforeApplicationShutdown {
  private readonly logger = new Logger('BackgroundTasks');
  private readonly running = new Set<Promise<void>>();

  run(label: string, task: () => Promise<void>): void {
    const promise: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .catch((error: unknown) => {
        this.logger.error({ task: label }, `background task failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      })
      .finally(() => {
        this.running.delete(promise);
      });
    this.running.add(promise);
  }

  /** Resolves when everything started so far has finished. */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  // Before the store closes (it closes in onApplicationShutdown).
  beforeApplicationShutdown(): Promise<void> {
    return this.drain();
  }
}
