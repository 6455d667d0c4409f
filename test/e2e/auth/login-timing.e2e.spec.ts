import { UserRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { login, median, register, startAuthApp } from './auth-helpers';

const SAMPLES = 15;

/**
 * CPU milliseconds (all threads of this process, where the app runs in-process) spent on one
 * failed login. CPU time, not wall time: the hashing work is what must not differ, and CPU time
 * does not move when other test suites load the machine.
 */
async function timed(app: RunningApp, email: string, password: string): Promise<number> {
  const start = process.cpuUsage();
  const res = await login(new HttpClient(app.url), email, password);
  const used = process.cpuUsage(start);
  if (res.status !== 401) throw new Error(`expected 401 for ${email}, got ${res.status}`);
  return (used.user + used.system) / 1000;
}

describe('POST /api/auth/login: timing (EN-01, EN-02)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    // A real cost: at cost 4 a skipped hash would hide in the noise of the HTTP round trip.
    app = await startAuthApp({ PASSWORD_HASH_COST: '10' });
    await register(new HttpClient(app.url), 'known@example.com');
    await app.app.get(UserRepository).create({ email: 'social@example.com', provider: 'google', googleId: 'g1', password: null, emailVerified: true });
  });
  afterAll(() => app.stop());

  it('EN-01/EN-02 unknown email, password-less account and wrong password take the same hashing work (CPU time)', async () => {
    const paths = {
      unknown: ['nobody@example.com', 'wrong password here'],
      social: ['social@example.com', 'wrong password here'],
      wrong: ['known@example.com', 'wrong password here'],
    } as const;
    // Warm-up: the dummy hash is computed lazily on the first unknown-email attempt.
    for (const [email, password] of Object.values(paths)) await timed(app, email, password);

    const samples: Record<keyof typeof paths, number[]> = { unknown: [], social: [], wrong: [] };
    for (let i = 0; i < SAMPLES; i++) {
      // Interleaved, so drift in machine load hits every path alike.
      for (const key of Object.keys(paths) as (keyof typeof paths)[]) samples[key].push(await timed(app, paths[key][0], paths[key][1]));
    }
    const medians = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<keyof typeof paths, number>;

    expect(medians.wrong).toBeGreaterThanOrEqual(20);
    for (const key of ['unknown', 'social'] as const) {
      expect({ key, median: medians[key] >= 20 }).toEqual({ key, median: true });
      const ratio = medians[key] / medians.wrong;
      expect({ key, ratio: ratio >= 0.5 && ratio <= 2 ? 'within' : ratio }).toEqual({ key, ratio: 'within' });
    }
  });
});
