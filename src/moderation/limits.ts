import type { ModerationConfig } from '../config';

/** The named limits (LibreChat's limiters, docs/moderation.md#rate-limits). Routes opt in with @RateLimit(name). */
export type LimitName =
  'login' | 'register' | 'resetPassword' | 'resetPasswordSubmission' | 'verifyEmail' | 'verifyEmailSubmission' | 'upstream' | 'twoFactorTemp';

export const LIMIT_NAMES: readonly LimitName[] = [
  'login',
  'register',
  'resetPassword',
  'resetPasswordSubmission',
  'verifyEmail',
  'verifyEmailSubmission',
  'upstream',
  'twoFactorTemp',
];

/** Violation types as LibreChat names them (docs/librechat-differences.md#moderation), so scores read the same in both. */
export const VIOLATION_TYPE: Record<LimitName, string> = {
  login: 'logins',
  register: 'registrations',
  resetPassword: 'reset_password_limit',
  resetPasswordSubmission: 'reset_password_limit',
  verifyEmail: 'verify_email_limit',
  verifyEmailSubmission: 'verify_email_limit',
  upstream: 'upstream_limit',
  twoFactorTemp: 'logins',
};

const SCORE_KEY: Record<LimitName, keyof ModerationConfig['scores']> = {
  login: 'login',
  register: 'registration',
  resetPassword: 'resetPassword',
  resetPasswordSubmission: 'resetPasswordSubmission',
  verifyEmail: 'verifyEmail',
  verifyEmailSubmission: 'verifyEmailSubmission',
  upstream: 'upstream',
  twoFactorTemp: 'twoFactorTemp',
};

export function violationScore(config: ModerationConfig, name: LimitName): number {
  return config.scores[SCORE_KEY[name]];
}

/** LibreChat's 429 messages, word for word (docs/librechat-differences.md#http-api), so its client shows the same text. */
export function limitMessage(name: LimitName, windowMs: number): string {
  const minutes = Math.max(1, Math.round(windowMs / 60_000));
  switch (name) {
    case 'login':
      return `Too many login attempts, please try again after ${minutes} minutes.`;
    case 'register':
      return `Too many accounts created, please try again after ${minutes} minutes`;
    case 'twoFactorTemp':
      return `Too many verification attempts, please try again after ${minutes} minutes.`;
    default:
      return `Too many attempts, please try again after ${minutes} minute(s)`;
  }
}

/**
 * When the counter store cannot be reached: login fails closed (an attacker must not be able to
 * switch brute-force protection off by overloading the store), the others fail open with an
 * error log so that a store outage does not also stop sign-up and recovery (MB-11).
 */
export function failsClosed(name: LimitName): boolean {
  // Six digits are guessable: the second factor's limit must not open with the store down either.
  return name === 'login' || name === 'twoFactorTemp';
}
