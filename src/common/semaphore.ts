/**
 * Bounds concurrent CPU-heavy work. Without it a login storm queues every hash on libuv's
 * pool at once, and unrelated requests that need a pool thread (file I/O, DNS, crypto) wait
 * behind them.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
