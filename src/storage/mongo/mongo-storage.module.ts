import { DynamicModule, Module, Provider } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
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
} from '../ports';
import { MongoPasskeyRepository } from './mongo-passkey.repository';
import { StoragePort, portsExcept, providersExcept } from '../storage.tokens';
import { TokenCipher } from '../token-cipher';
import { MongoBalanceRepository } from './mongo-balance.repository';
import { MongoAuditLog } from './mongo-audit.log';
import { MongoIdpTokenVault } from './mongo-idp-token.vault';
import { mongoIndexesProvider } from './mongo-indexes';
import { MongoKeyValueStore } from './mongo-key-value.store';
import { MongoModerationRepository } from './mongo-moderation.repository';
import { MongoOneTimeTokenRepository } from './mongo-one-time-token.repository';
import { MongoOutboxRepository } from './mongo-outbox.repository';
import { MongoSessionRepository } from './mongo-session.repository';
import { MongoUnitOfWork } from './mongo-unit-of-work';
import { MongoStoreLifecycle } from './mongo-store-lifecycle';
import { MongoTwoFactorRepository } from './mongo-two-factor.repository';
import { MongoUserRepository } from './mongo-user.repository';
import { MONGO_MODEL_DEFINITIONS } from './schemas';

export interface MongoStorageOptions {
  uri: string;
  serverSelectionTimeoutMs: number;
  /** An operation without an answer on an open connection fails after this long (default 10 s). */
  socketTimeoutMs?: number;
  cipher: TokenCipher;
  /** Ports another module provides instead (Redis); left out here so there is one binding each. */
  servedElsewhere?: readonly StoragePort[];
  /** Export the `logs` ban store itself, for bans to stay in LibreChat's collection next to Redis (MB-17). */
  exportBanStore?: boolean;
}

/** Mongoose connection settings. Exported for the spec: they carry the fail-fast decision. */
export function mongooseConnectionOptions(opts: Pick<MongoStorageOptions, 'serverSelectionTimeoutMs' | 'socketTimeoutMs'>) {
  const socketTimeoutMs = opts.socketTimeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS;
  return {
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMs,
    // RL-01: while MongoDB is down, operations fail at once instead of queueing in memory.
    bufferCommands: false,
    // RL-20: a stalled server (connection open, no reply) fails the operation instead of holding
    // the request; a request waiting for a free pooled connection gives up after the same bound.
    socketTimeoutMS: socketTimeoutMs,
    waitQueueTimeoutMS: socketTimeoutMs,
    // MB-18: indexes are ensured by MongoIndexes (unique ones before use, the rest in the
    // background, LibreChat's existing forms kept), never by mongoose at model compile time.
    autoIndex: false,
    autoCreate: false,
  };
}

export const DEFAULT_SOCKET_TIMEOUT_MS = 10_000;

/** Every port bound to its Mongo implementation (exported for the DI wiring spec). */
export function mongoPortProviders(cipher: TokenCipher): Provider[] {
  return [
    { provide: TokenCipher, useValue: cipher },
    { provide: UserRepository, useClass: MongoUserRepository },
    { provide: SessionRepository, useClass: MongoSessionRepository },
    { provide: OneTimeTokenRepository, useClass: MongoOneTimeTokenRepository },
    { provide: ModerationRepository, useClass: MongoModerationRepository },
    { provide: KeyValueStore, useClass: MongoKeyValueStore },
    { provide: OutboxRepository, useClass: MongoOutboxRepository },
    { provide: IdpTokenVault, useClass: MongoIdpTokenVault },
    { provide: StoreLifecycle, useClass: MongoStoreLifecycle },
    { provide: TwoFactorRepository, useClass: MongoTwoFactorRepository },
    { provide: BalanceRepository, useClass: MongoBalanceRepository },
    { provide: PasskeyRepository, useClass: MongoPasskeyRepository },
    { provide: UnitOfWork, useClass: MongoUnitOfWork },
    { provide: AuditLog, useClass: MongoAuditLog },
  ];
}

/** The MongoDB adapter: LibreChat's collections (users, sessions, tokens, logs) plus `gatehouse_*`. */
@Module({})
export class MongoStorageModule {
  static register(opts: MongoStorageOptions): DynamicModule {
    return {
      module: MongoStorageModule,
      imports: [
        // Two attempts a second apart instead of @nestjs/mongoose's nine 3 s apart: an unreachable
        // MongoDB fails the boot in seconds with a clear error rather than hanging for ~45 s.
        MongooseModule.forRoot(opts.uri, { ...mongooseConnectionOptions(opts), retryAttempts: 2, retryDelay: 1000 }),
        MongooseModule.forFeature(MONGO_MODEL_DEFINITIONS),
      ],
      providers: [
        mongoIndexesProvider,
        ...providersExcept(mongoPortProviders(opts.cipher), opts.servedElsewhere),
        ...(opts.exportBanStore ? [MongoModerationRepository] : []),
      ],
      exports: [...portsExcept(opts.servedElsewhere), ...(opts.exportBanStore ? [MongoModerationRepository] : [])],
    };
  }
}
