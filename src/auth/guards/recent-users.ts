import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import type { MaybePromise } from '../../common/maybe-async';
import { RecentCache } from '../../common/recent-cache';
import { StoreChangeFeed, UserRecord, UserRepository } from '../../storage';

/**
 * The user lookup of every bearer request, Gatehouse tokens and reused IdP tokens alike: one rule
 * for how stale it may be. A lookup is reused for RECENT_LOOKUP_MS (1 s); this process's own
 * writes to a user (delete, ban-driven updates, role changes, 2FA) evict it at once, so a deleted
 * account's tokens stop at once here and within 1 s on other instances (docs/architecture.md).
 */
@Injectable()
export class RecentUsers {
  private readonly recent: RecentCache<UserRecord | null>;

  constructor(
    private readonly users: UserRepository,
    clock: Clock,
    changes: StoreChangeFeed,
  ) {
    this.recent = new RecentCache(clock);
    changes.subscribe((change) => {
      if (change.kind !== 'user') return;
      if (change.userId === null) this.recent.clear();
      else this.recent.delete(change.userId);
    });
  }

  /** The user at once when it was looked up less than a second ago, else a promise of a fresh lookup. */
  findById(id: string): MaybePromise<UserRecord | null> {
    return this.recent.get(id, () => this.users.findById(id));
  }
}
