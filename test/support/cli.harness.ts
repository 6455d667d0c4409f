import { execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** Builds dist/ if sources changed (the same step `npm run cli` takes). */
export function ensureBuilt(): void {
  execFileSync(process.execPath, ['scripts/ensure-build.js'], { cwd: root, stdio: 'inherit' });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js <args>` with only the given environment (plus PATH). */
export function runCli(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/cli.js', ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', ENV_FILE: 'none', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One exchange with a command running in a terminal: wait until its output matches, then type. */
export interface TerminalStep {
  waitFor: RegExp;
  send: string;
}

/**
 * `script` (util-linux) gives the CLI a pseudo-terminal, so the prompts and hidden input can be
 * tested. Null when this system has no such `script` (the caller skips the test).
 */
export function terminalAvailable(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `node dist/cli.js <args>` on a pseudo-terminal and answers its prompts in order. The
 * transcript is everything the terminal showed (stdout and stderr mixed, echo included); the exit
 * code is the CLI's own.
 */
export function runCliInTerminal(
  args: string[],
  env: Record<string, string>,
  steps: TerminalStep[],
  timeoutMs = 20_000,
): Promise<{ code: number | null; transcript: string }> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, 'dist/cli.js', ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ENV_FILE: 'none', TERM: 'dumb', ...env },
    });
    let transcript = '';
    let seen = 0;
    const pending = [...steps];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`terminal session timed out; transcript so far:\n${transcript}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => {
      transcript += d;
      const next = pending[0];
      if (next && next.waitFor.test(transcript.slice(seen))) {
        pending.shift();
        seen = transcript.length;
        child.stdin.write(next.send);
      }
    });
    child.stderr.on('data', (d) => (transcript += d));
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, transcript });
    });
  });
}
