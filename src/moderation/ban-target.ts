import { clientKey } from '../common/client-ip';
import type { BanTarget } from './bans.service';

/**
 * The one rule for whom a request's violations and bans concern (MB-12): always the client's
 * address key, and the user when the request has proved who it is (the bearer guard has set
 * `req.user`, or the caller passes the user a validly signed cookie or password named). A request
 * that merely names an account (a login with someone's email) never makes that account a subject,
 * so nobody can get a victim banned (MB-02).
 */
export function banTargetOf(req: object, provenUserId?: string | null): BanTarget {
  const authenticated = (req as { user?: { id?: unknown } }).user?.id;
  const userId = provenUserId ?? (typeof authenticated === 'string' ? authenticated : null);
  return banTargetFor(clientKey(req as Parameters<typeof clientKey>[0]), userId);
}

/** The same rule for a use case that already holds the client's address key (`clientAddress().key`) and a proven user. */
export function banTargetFor(addressKey: string, provenUserId: string | null): BanTarget {
  return { ip: addressKey, userId: provenUserId };
}
