import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@nestjs/common';
import { UnitOfWork } from './ports/unit-of-work';

interface Frame {
  effects: (() => void)[];
}

/**
 * The part both adapters share: which unit the current async call chain belongs to (so nested
 * calls join it), and the effects to run once it commits. Adapters supply `transact`.
 */
export abstract class AsyncLocalUnitOfWork extends UnitOfWork {
  private readonly logger = new Logger('UnitOfWork');
  private readonly frames = new AsyncLocalStorage<Frame>();

  /** Runs `work` inside one transaction of the adapter; commits when it resolves, rolls back when it rejects. */
  protected abstract transact<T>(work: () => Promise<T>): Promise<T>;

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.frames.getStore()) return work();
    const frame: Frame = { effects: [] };
    // A retried transaction (MongoDB) runs the work again: only the last attempt's effects count.
    const result = await this.transact(() => {
      frame.effects.length = 0;
      return this.frames.run(frame, work);
    });
    for (const effect of frame.effects) {
      try {
        effect();
      } catch (error) {
        this.logger.error(`after-commit effect failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return result;
  }

  afterCommit(effect: () => void): void {
    const frame = this.frames.getStore();
    if (frame) frame.effects.push(effect);
    else effect();
  }
}
