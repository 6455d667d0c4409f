import { readdirSync, stat } from 'node:fs';
import { setPriority } from 'node:os';

/** How far below the event loop the pool's threads run (nice value; 19 is the lowest priority). */
export const THREAD_POOL_NICE = 10;

/**
 * Password hashing (bcrypt) runs on libuv's thread pool, and during a login storm those threads
 * compete with the event loop for the same cores: every API call then waits its turn behind a hash.
 * Linux schedules threads one by one, so the pool's threads get a lower priority. They still use
 * every idle cycle, so a storm's hashing throughput stays what it was, but they yield the core
 * whenever the event loop has a request to serve.
 *
 * The pool starts its threads on its first job, so this must run before anything else uses the
 * pool: it snapshots the process's threads, starts the pool with one `stat`, and lowers the threads
 * that appeared. Where there is no /proc (not Linux), or the pool was already running, it does
 * nothing and says so in the count it returns.
 */
export async function lowerThreadPoolPriority(nice = THREAD_POOL_NICE): Promise<number> {
  const before = threadIds();
  if (!before) return 0;
  await new Promise<void>((resolve) => stat('/', () => resolve()));
  const known = new Set(before);
  let lowered = 0;
  for (const id of threadIds() ?? []) {
    if (known.has(id)) continue;
    try {
      setPriority(Number(id), nice);
      lowered += 1;
    } catch {
      // A thread that already ended, or a system that refuses: the pool keeps its priority.
    }
  }
  return lowered;
}

function threadIds(): string[] | null {
  try {
    return readdirSync('/proc/self/task');
  } catch {
    return null;
  }
}
