import { z } from 'zod';
import { duration, optBool } from '../fields/env-fields';
import { problem } from './issue';

const MINUTE = 60_000;

export const sessionSchema = z
  .object({
    SESSION_EXPIRY: duration(15 * MINUTE, { min: 10_000 }),
    REFRESH_TOKEN_EXPIRY: duration(7 * 24 * 60 * MINUTE, { min: MINUTE }),
    SESSION_COOKIE_SECURE: optBool(),
    REFRESH_TOKEN_REUSE_GRACE: duration(10_000, { max: 120_000 }),
  })
  .superRefine((v, ctx) => {
    if (v.SESSION_EXPIRY >= v.REFRESH_TOKEN_EXPIRY) {
      problem(ctx, 'SESSION_EXPIRY', `(${v.SESSION_EXPIRY} ms) must be shorter than REFRESH_TOKEN_EXPIRY (${v.REFRESH_TOKEN_EXPIRY} ms)`);
    }
  })
  .transform((v) => ({
    accessTokenTtlMs: v.SESSION_EXPIRY,
    refreshTokenTtlMs: v.REFRESH_TOKEN_EXPIRY,
    /** undefined: decide by the localhost heuristic (docs/configuration.md#secure-cookies). */
    cookieSecure: v.SESSION_COOKIE_SECURE,
    reuseGraceMs: v.REFRESH_TOKEN_REUSE_GRACE,
  }));

export type SessionSettings = z.output<typeof sessionSchema>;
