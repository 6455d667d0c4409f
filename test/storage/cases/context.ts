import type { TestingModule } from '@nestjs/testing';
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
  StorageOptions,
  StoreLifecycle,
  TwoFactorRepository,
  UnitOfWork,
  UserRepository,
} from '../../../src/storage';

/** Every port of one open store. */
export interface StorePorts {
  users: UserRepository;
  sessions: SessionRepository;
  tokens: OneTimeTokenRepository;
  moderation: ModerationRepository;
  kv: KeyValueStore;
  outbox: OutboxRepository;
  vault: IdpTokenVault;
  lifecycle: StoreLifecycle;
  twoFactor: TwoFactorRepository;
  balances: BalanceRepository;
  passkeys: PasskeyRepository;
  unitOfWork: UnitOfWork;
  audit: AuditLog;
}

/** What the case files get: the store opened for the running test, fresh for each test. */
export interface StoreContext {
  ports(): StorePorts;
  options(): StorageOptions;
  moduleRef(): TestingModule;
  /** Closes the current module and opens a new one on the same options (a process restart). */
  restart(): Promise<StorePorts>;
}

export function portsOf(moduleRef: TestingModule): StorePorts {
  return {
    users: moduleRef.get(UserRepository),
    sessions: moduleRef.get(SessionRepository),
    tokens: moduleRef.get(OneTimeTokenRepository),
    moderation: moduleRef.get(ModerationRepository),
    kv: moduleRef.get(KeyValueStore),
    outbox: moduleRef.get(OutboxRepository),
    vault: moduleRef.get(IdpTokenVault),
    lifecycle: moduleRef.get(StoreLifecycle),
    twoFactor: moduleRef.get(TwoFactorRepository),
    balances: moduleRef.get(BalanceRepository),
    passkeys: moduleRef.get(PasskeyRepository),
    unitOfWork: moduleRef.get(UnitOfWork),
    audit: moduleRef.get(AuditLog),
  };
}

/** A fixed clock far from the real one: expiry is driven only by the `now` the tests pass. */
export const T0 = new Date('2031-03-04T05:06:07.000Z');

export function at(offsetMs: number): Date {
  return new Date(T0.getTime() + offsetMs);
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Runs `n` calls at once and splits the outcomes. */
export async function race<T>(n: number, call: (i: number) => Promise<T>): Promise<{ ok: T[]; errors: unknown[] }> {
  const settled = await Promise.allSettled(Array.from({ length: n }, (_, i) => call(i)));
  return {
    ok: settled.filter((s): s is PromiseFulfilledResult<Awaited<T>> => s.status === 'fulfilled').map((s) => s.value as T),
    errors: settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown),
  };
}
