import { execFileSync, spawn } from 'node:child_process';

/**
 * A second host for tests that need a peer which is not on loopback or a private network: a
 * network namespace joined to this one by a veth pair, with addresses from TEST-NET-3
 * (203.0.113.0/24, reserved for documentation, never routed). The app listens on `appAddress`;
 * code run with `run()` connects from `clientAddress`, a public-looking peer. Needs root and
 * iproute2; `available()` tells, so suites skip visibly elsewhere. Traffic never leaves the veth.
 */
export interface TestHost {
  appAddress: string;
  clientAddress: string;
  /** Runs a Node script inside the namespace; resolves with its stdout. */
  run(script: string, timeoutMs?: number): Promise<string>;
  destroy(): void;
}

export function testHostAvailable(): boolean {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return false;
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function createTestHost(): TestHost {
  const tag = `gh${process.pid % 100000}`;
  const ns = `${tag}ns`;
  const outside = `${tag}a`;
  const inside = `${tag}b`;
  const appAddress = '203.0.113.1';
  const clientAddress = '203.0.113.2';
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  const destroy = () => {
    for (const args of [
      ['netns', 'del', ns],
      ['link', 'del', outside],
    ]) {
      try {
        ip(...args);
      } catch {
        /* already gone */
      }
    }
  };
  destroy();
  ip('netns', 'add', ns);
  ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
  ip('link', 'set', inside, 'netns', ns);
  ip('addr', 'add', `${appAddress}/24`, 'dev', outside);
  ip('link', 'set', outside, 'up');
  ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${clientAddress}/24`, 'dev', inside);
  ip('netns', 'exec', ns, 'ip', 'link', 'set', inside, 'up');
  ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
  return {
    appAddress,
    clientAddress,
    destroy,
    run(script, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          if (code === 0) resolve(out);
          else reject(new Error(`script in the test host exited ${code}: ${err.slice(0, 500)}`));
        });
      });
    },
  };
}
