export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

/**
 * When to try again after the `attempts`-th failed attempt, or null to give up. Exponential
 * (initial, 2×, 4×, … capped at the maximum); `jitter` in [0, 1) spreads retries of several
 * instances by up to ±10 % so they do not hit a recovering SMTP server in step.
 */
export function nextAttemptAt(policy: BackoffPolicy, attempts: number, now: Date, jitter = 0.5): Date | null {
  if (attempts >= policy.maxAttempts) return null;
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const base = Math.min(policy.initialDelayMs * 2 ** exponent, policy.maxDelayMs);
  const spread = 1 + (jitter - 0.5) * 0.2;
  return new Date(now.getTime() + Math.round(base * spread));
}
