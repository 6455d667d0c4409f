import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { THREAD_POOL_NICE } from '../../../src/common/thread-pool-priority';
import { freePort } from '../../support/free-port';
import { ensureMainBuilt, startMainProcess, waitFor200 } from '../../support/main-process';

/** Nice value of each thread of a process, from /proc (field 19 of a thread's stat line). */
function threadNiceValues(pid: number): number[] {
  return fs.readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after it are space-separated.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

const onLinux = fs.existsSync('/proc/self/task');

describe('thread pool priority (password hashing yields to the event loop)', () => {
  beforeAll(() => ensureMainBuilt(), 180_000);

  (onLinux ? it : it.skip)('the libuv pool threads of the started service run at a lower priority; the event loop does not', async () => {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-pool-'));
    const run = startMainProcess({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, UV_THREADPOOL_SIZE: '6' });
    try {
      await waitFor200(`http://127.0.0.1:${port}/health`, 60_000);
      const pid = run.child.pid!;
      const values = threadNiceValues(pid);
      // Exactly the pool's threads (UV_THREADPOOL_SIZE of them) are lowered.
      expect(values.filter((v) => v === THREAD_POOL_NICE)).toHaveLength(6);
      // The main thread (its id is the process id) keeps the normal priority.
      expect(threadNiceValues(pid)[fs.readdirSync(`/proc/${pid}/task`).indexOf(String(pid))]).toBe(0);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
