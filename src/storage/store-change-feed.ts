import type { Provider } from '@nestjs/common';
import { IdpTokenVault, TwoFactorRepository, UserRepository } from './ports';

/**
 * What changed: one user's record (`userId`), every user (`userId: null`), the ban list, or the
 * IdP tokens of a user's OpenID logins (`idp-tokens`: logins ended, so their reused tokens stop).
 */
export type StoreChange = { kind: 'user' | 'idp-tokens'; userId: string | null } | { kind: 'bans' };

/**
 * News of writes made by this process, for in-process read caches (the bearer path's user and ban
 * lookups) to evict at once instead of waiting for their time limit. Writes made by another
 * process (a second instance, the CLI, LibreChat on a shared MongoDB) do not pass here; those
 * caches bound their staleness by time instead (docs/architecture.md, "Request paths").
 */
export class StoreChangeFeed {
  private readonly listeners = new Set<(change: StoreChange) => void>();

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(change: StoreChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/** Methods of the ports that change what a cached lookup returns (the rest only read), and the change they announce. */
const ANNOUNCED = {
  user: { kind: 'user', methods: ['create', 'update', 'delete', 'deleteExpired'] },
  // The two-factor columns live on the user record (LibreChat's shape): `twoFactorEnabled` follows them.
  twoFactor: { kind: 'user', methods: ['savePending', 'activatePending', 'replaceBackupCodes', 'clear', 'spendBackupCode', 'claimTotpStep'] },
  // Only removals end a login; a save never turns a live login into an ended one.
  vault: { kind: 'idp-tokens', methods: ['delete'] },
} as const;

/**
 * The adapter's repository as injected everywhere, with every user-changing method announcing the
 * change once it settled (also when it failed: a write may have landed before the error). One
 * wrapper for every adapter, so no write path can forget to announce itself.
 */
export function announcingWrites<T extends object>(inner: T, methods: readonly string[], feed: StoreChangeFeed, kind: 'user' | 'idp-tokens' = 'user'): T {
  const wrapper = Object.create(inner) as Record<string, unknown>;
  for (const name of methods) {
    const method = (inner as Record<string, unknown>)[name];
    if (typeof method !== 'function') continue;
    wrapper[name] = async (...args: unknown[]) => {
      try {
        return await (method as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
      } finally {
        // create() has no cached entry to evict; a first argument that is not an id evicts everyone.
        feed.publish({ kind, userId: typeof args[0] === 'string' ? args[0] : null });
      }
    };
  }
  return wrapper as T;
}

/**
 * Rewrites an adapter's port providers so that UserRepository, TwoFactorRepository and
 * IdpTokenVault are the announcing wrappers around the adapter's classes (bound under their own
 * class as well).
 */
export function withAnnouncedWrites(providers: Provider[]): Provider[] {
  return providers.flatMap((provider): Provider[] => {
    if (typeof provider === 'function' || !('useClass' in provider)) return [provider];
    const announced =
      provider.provide === UserRepository
        ? ANNOUNCED.user
        : provider.provide === TwoFactorRepository
          ? ANNOUNCED.twoFactor
          : provider.provide === IdpTokenVault
            ? ANNOUNCED.vault
            : null;
    if (!announced) return [provider];
    const adapterClass = provider.useClass;
    return [
      adapterClass,
      {
        provide: provider.provide,
        inject: [adapterClass, StoreChangeFeed],
        useFactory: (inner: object, feed: StoreChangeFeed) => announcingWrites(inner, announced.methods, feed, announced.kind),
      },
    ];
  });
}
