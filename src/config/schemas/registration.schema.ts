import { z } from 'zod';
import { bool, int, list } from '../fields/env-fields';
import { problem } from './issue';

const domain = (v: string): string | null => (/^(\*\.)?([a-z0-9-]+\.)+[a-z0-9-]+$/i.test(v) ? v.toLowerCase() : null);

export const registrationSchema = z
  .object({
    ALLOW_EMAIL_LOGIN: bool(true),
    ALLOW_EMAIL_LOGIN_OVERRIDE: bool(false),
    ALLOW_REGISTRATION: bool(false),
    ALLOW_SOCIAL_LOGIN: bool(false),
    ALLOW_SOCIAL_REGISTRATION: bool(false),
    ALLOW_PASSWORD_RESET: bool(false),
    // LibreChat's "unsecured reset" (LibreChat defect D-1, docs/librechat-differences.md) hands a reset link to whoever asks when no mail
    // is configured. Off unless explicitly switched on; a warning is logged at every boot.
    ALLOW_INSECURE_PASSWORD_RESET: bool(false),
    ALLOW_ACCOUNT_DELETION: bool(true),
    ALLOW_UNVERIFIED_EMAIL_LOGIN: bool(false),
    MIN_PASSWORD_LENGTH: int(8, { min: 8, max: 128 }),
    MAX_PASSWORD_LENGTH: int(128, { min: 16, max: 1024 }),
    // Refuse common and breached passwords and ones built from the account's own words (PW-03).
    PASSWORD_BLOCKLIST: bool(true),
    // bcrypt cost factor: 2^cost rounds. Production refuses less than 10 (PW-06).
    PASSWORD_HASH_COST: int(12, { min: 4, max: 15 }),
    REGISTRATION_ALLOWED_DOMAINS: list([], { item: domain, itemForm: 'a domain such as example.com or *.example.com' }),
  })
  .superRefine((v, ctx) => {
    if (v.MIN_PASSWORD_LENGTH > v.MAX_PASSWORD_LENGTH) {
      problem(ctx, 'MIN_PASSWORD_LENGTH', `(${v.MIN_PASSWORD_LENGTH}) must not exceed MAX_PASSWORD_LENGTH (${v.MAX_PASSWORD_LENGTH})`);
    }
  })
  .transform((v) => ({
    allowEmailLogin: v.ALLOW_EMAIL_LOGIN,
    allowEmailLoginOverride: v.ALLOW_EMAIL_LOGIN_OVERRIDE,
    allowRegistration: v.ALLOW_REGISTRATION,
    allowSocialLogin: v.ALLOW_SOCIAL_LOGIN,
    allowSocialRegistration: v.ALLOW_SOCIAL_REGISTRATION,
    allowPasswordReset: v.ALLOW_PASSWORD_RESET,
    allowInsecurePasswordReset: v.ALLOW_INSECURE_PASSWORD_RESET,
    allowAccountDeletion: v.ALLOW_ACCOUNT_DELETION,
    allowUnverifiedEmailLogin: v.ALLOW_UNVERIFIED_EMAIL_LOGIN,
    minPasswordLength: v.MIN_PASSWORD_LENGTH,
    maxPasswordLength: v.MAX_PASSWORD_LENGTH,
    passwordBlocklist: v.PASSWORD_BLOCKLIST,
    passwordHashCost: v.PASSWORD_HASH_COST,
    /** Empty: every domain may register. */
    allowedDomains: v.REGISTRATION_ALLOWED_DOMAINS,
  }));

export type RegistrationSettings = z.output<typeof registrationSchema>;
