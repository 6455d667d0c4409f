import type { BanRecord } from '../storage';

/** The public shape of a ban (admin API and CLI). */
export function describeBan(ban: BanRecord) {
  return {
    key: ban.subject,
    type: ban.type,
    reason: ban.reason,
    violationCount: ban.violationCount,
    userId: ban.userId,
    createdAt: ban.createdAt.toISOString(),
    expiresAt: ban.expiresAt.toISOString(),
  };
}
