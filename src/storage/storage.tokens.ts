import type { Provider } from '@nestjs/common';
import {
  BalanceRepository,
  AuditLog,
  IdpTokenVault,
  KeyValueStore,
  ModerationRepository,
  OneTimeTokenRepository,
  OutboxRepository,
  PasskeyRepository,
  SessionRepository,
  StoreLifecycle,
  TwoFactorRepository,
  UnitOfWork,
  UserRepository,
} from './ports';
import { withAnnouncedWrites } from './store-change-feed';

/** Every port an adapter must provide; also the list StorageModule exports. */
export const STORAGE_PORTS = [
  UserRepository,
  SessionRepository,
  OneTimeTokenRepository,
  ModerationRepository,
  KeyValueStore,
  OutboxRepository,
  IdpTokenVault,
  StoreLifecycle,
  TwoFactorRepository,
  BalanceRepository,
  PasskeyRepository,
  UnitOfWork,
  AuditLog,
] as const;

export type StoragePort = (typeof STORAGE_PORTS)[number];

/** The ports an adapter exports when `servedElsewhere` are provided by another module. */
export function portsExcept(servedElsewhere: readonly StoragePort[] = []): StoragePort[] {
  return STORAGE_PORTS.filter((port) => !servedElsewhere.includes(port));
}

/** An adapter's providers minus those bound to ports another module serves. */
export function providersExcept(providers: Provider[], servedElsewhere: readonly StoragePort[] = []): Provider[] {
  // Every adapter passes here, so every adapter's user writes are announced to in-process caches.
  return withAnnouncedWrites(providers.filter((p) => typeof p === 'function' || !(servedElsewhere as readonly unknown[]).includes(p.provide)));
}
