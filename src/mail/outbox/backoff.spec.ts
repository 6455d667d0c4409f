import { nextAttemptAt } from './backoff';

describe('nextAttemptAt', () => {
  const policy = { initialDelayMs: 1_000, maxDelayMs: 10_000, maxAttempts: 6 };
  const now = new Date('2026-01-01T00:00:00Z');
  const delay = (attempts: number, jitter?: number) => {
    const at = nextAttemptAt(policy, attempts, now, jitter);
    return at === null ? null : at.getTime() - now.getTime();
  };

  it('doubles the delay after each failed attempt, up to the maximum', () => {
    expect([1, 2, 3, 4, 5].map((n) => delay(n))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000]);
  });

  it('gives up once the attempts are used up', () => {
    expect(delay(6)).toBeNull();
    expect(delay(60)).toBeNull();
  });

  it('spreads retries by at most ten percent either way', () => {
    expect(delay(1, 0)).toBe(900);
    expect(delay(1, 0.999999)).toBe(1_100);
  });
});
