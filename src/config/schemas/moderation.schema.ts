import { z } from 'zod';
import { bool, count, duration } from '../fields/env-fields';

const MINUTE = 60_000;

/**
 * A limiter: at most `max` requests per `windowMinutes` per key. Submission limiters inherit
 * their request limiter's values when unset, as in LibreChat (docs/librechat-differences.md#environment-variables).
 */
function limiter(prefix: string, max: number, windowMinutes: number) {
  return {
    [`${prefix}_MAX`]: count(max, { min: 1, max: 1_000_000 }),
    [`${prefix}_WINDOW`]: count(windowMinutes, { min: 1, max: 7 * 24 * 60 }),
  };
}

function optionalLimiter(prefix: string) {
  return {
    [`${prefix}_MAX`]: count(-1, { min: 1, max: 1_000_000 }),
    [`${prefix}_WINDOW`]: count(-1, { min: 1, max: 7 * 24 * 60 }),
  };
}

const score = () => count(1, { min: 0, max: 1000 });

export const moderationSchema = z
  .object({
    BAN_VIOLATIONS: bool(false),
    BAN_DURATION: duration(2 * 60 * MINUTE),
    BAN_INTERVAL: count(20, { min: 1, max: 100_000 }),
    VIOLATION_SCORE_TTL: duration(24 * 60 * MINUTE, { min: MINUTE }),
    LOGIN_FAILURE_DELAY_AFTER: count(5, { min: 0, max: 1_000_000 }),
    ...limiter('LOGIN', 7, 5),
    ...limiter('REGISTER', 5, 60),
    ...limiter('RESET_PASSWORD', 2, 2),
    ...optionalLimiter('RESET_PASSWORD_SUBMISSION'),
    ...limiter('VERIFY_EMAIL', 2, 2),
    ...optionalLimiter('VERIFY_EMAIL_SUBMISSION'),
    ...limiter('UPSTREAM', 600, 1),
    // verify-temp (the 2FA sign-in step): LibreChat inherits the login limiter's values.
    ...optionalLimiter('TWO_FACTOR_TEMP'),
    LOGIN_VIOLATION_SCORE: score(),
    REGISTRATION_VIOLATION_SCORE: score(),
    RESET_PASSWORD_VIOLATION_SCORE: score(),
    RESET_PASSWORD_SUBMISSION_VIOLATION_SCORE: score(),
    VERIFY_EMAIL_VIOLATION_SCORE: score(),
    VERIFY_EMAIL_SUBMISSION_VIOLATION_SCORE: score(),
    UPSTREAM_VIOLATION_SCORE: score(),
    TWO_FACTOR_TEMP_VIOLATION_SCORE: count(-1, { min: 0, max: 1000 }),
  })
  .transform((v) => {
    const n = (name: string) => (v as unknown as Record<string, number>)[name];
    const rule = (prefix: string, inherit?: string) => {
      const max = n(`${prefix}_MAX`);
      const win = n(`${prefix}_WINDOW`);
      return {
        max: max === -1 && inherit ? n(`${inherit}_MAX`) : max,
        windowMs: (win === -1 && inherit ? n(`${inherit}_WINDOW`) : win) * MINUTE,
      };
    };
    return {
      banViolations: v.BAN_VIOLATIONS,
      /** ≤ 0 disables ban enforcement (sessions are still revoked), as in LibreChat. */
      banDurationMs: v.BAN_DURATION,
      banInterval: v.BAN_INTERVAL,
      violationScoreTtlMs: v.VIOLATION_SCORE_TTL,
      /** Failed logins for one email before each further attempt is slowed down; 0 = never (MB-02). */
      loginFailureDelayAfter: v.LOGIN_FAILURE_DELAY_AFTER,
      limits: {
        login: rule('LOGIN'),
        register: rule('REGISTER'),
        resetPassword: rule('RESET_PASSWORD'),
        resetPasswordSubmission: rule('RESET_PASSWORD_SUBMISSION', 'RESET_PASSWORD'),
        verifyEmail: rule('VERIFY_EMAIL'),
        verifyEmailSubmission: rule('VERIFY_EMAIL_SUBMISSION', 'VERIFY_EMAIL'),
        upstream: rule('UPSTREAM'),
        twoFactorTemp: rule('TWO_FACTOR_TEMP', 'LOGIN'),
      },
      scores: {
        login: v.LOGIN_VIOLATION_SCORE,
        registration: v.REGISTRATION_VIOLATION_SCORE,
        resetPassword: v.RESET_PASSWORD_VIOLATION_SCORE,
        resetPasswordSubmission: v.RESET_PASSWORD_SUBMISSION_VIOLATION_SCORE,
        verifyEmail: v.VERIFY_EMAIL_VIOLATION_SCORE,
        verifyEmailSubmission: v.VERIFY_EMAIL_SUBMISSION_VIOLATION_SCORE,
        upstream: v.UPSTREAM_VIOLATION_SCORE,
        twoFactorTemp: v.TWO_FACTOR_TEMP_VIOLATION_SCORE === -1 ? v.LOGIN_VIOLATION_SCORE : v.TWO_FACTOR_TEMP_VIOLATION_SCORE,
      },
    };
  });

export type ModerationSettings = z.output<typeof moderationSchema>;
