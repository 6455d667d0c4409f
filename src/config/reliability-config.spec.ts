import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configOf, problemsOf } from '../../test/support/config-results';
import { loadConfig, type Env } from './load-config';

const load = (env: Env) => loadConfig({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-rel-config-')), ...env });

describe('reliability configuration (issue 16)', () => {
  it('defaults: durable commits, boot check, a readiness delay shorter than the drain, explicit HTTP limits', () => {
    const { server, storage, mail } = configOf(load({}));
    expect(storage.sqliteSynchronous).toBe('full');
    expect(storage.sqliteBootCheckMaxBytes).toBe(1024 * 1024 * 1024);
    expect(server.shutdownReadinessDelayMs).toBe(2_000);
    expect(server.http).toEqual({ headersTimeoutMs: 20_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnectionsPerAddress: 256 });
    expect(mail.outbox.leaseMs).toBe(15_000);
    expect(server.testCrashPoint).toBeNull();
  });

  it('RL-17 SQLITE_SYNCHRONOUS accepts full or normal only', () => {
    expect(configOf(load({ SQLITE_SYNCHRONOUS: 'NORMAL' })).storage.sqliteSynchronous).toBe('normal');
    expect(problemsOf(load({ SQLITE_SYNCHRONOUS: 'off' })).join('\n')).toMatch(/SQLITE_SYNCHRONOUS: "off" is not allowed; expected one of: full, normal/);
  });

  it('RL-14 refuses a readiness delay that leaves the drain no time, and headers slower than the request', () => {
    const problems = problemsOf(
      load({ SHUTDOWN_TIMEOUT: '3000', SHUTDOWN_READINESS_DELAY: '3000', HTTP_HEADERS_TIMEOUT: '40000', HTTP_REQUEST_TIMEOUT: '30000' }),
    ).join('\n');
    expect(problems).toMatch(/SHUTDOWN_READINESS_DELAY: \(3000 ms\) must be shorter than SHUTDOWN_TIMEOUT/);
    expect(problems).toMatch(/HTTP_HEADERS_TIMEOUT: \(40000 ms\) must not exceed HTTP_REQUEST_TIMEOUT/);
    expect(problemsOf(load({ MAX_CONNECTIONS_PER_ADDRESS: '0' })).join('\n')).toMatch(/MAX_CONNECTIONS_PER_ADDRESS/);
  });

  it('RL-12 the crash seam is honoured only under NODE_ENV=test and only for known points', () => {
    expect(configOf(load({ NODE_ENV: 'test', TEST_CRASH_POINT: 'after-mail-commit' })).server.testCrashPoint).toBe('after-mail-commit');
    expect(problemsOf(load({ TEST_CRASH_POINT: 'after-mail-commit' })).join('\n')).toMatch(
      /TEST_CRASH_POINT: is a test seam and is refused unless NODE_ENV=test/,
    );
    expect(problemsOf(load({ NODE_ENV: 'test', TEST_CRASH_POINT: 'somewhere' })).join('\n')).toMatch(
      /TEST_CRASH_POINT: "somewhere" is not one of after-mail-commit/,
    );
  });
});
