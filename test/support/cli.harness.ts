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
