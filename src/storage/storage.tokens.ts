import {
  IdpTokenVault,
  KeyValueStore,
  ModerationRepository,
  OneTimeTokenRepository,
  OutboxRepository,
  SessionRepository,
  StoreLifecycle,
  UserRepository,
} from './ports';

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
] as const;
