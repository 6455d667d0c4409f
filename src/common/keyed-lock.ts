/**
 * Runs tasks with the same key one after another (in this process). Used where a read-then-write
 * sequence on one user's data must not interleave with another for the same user, e.g. "void
 * the older tokens, then issue a new one" for two reset requests arriving together.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
