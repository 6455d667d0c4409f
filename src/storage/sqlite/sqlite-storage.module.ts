import * as path from 'node:path';
import { DynamicModule, Module, Provider } from '@nestjs/common';
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
import { SqlitePasskeyRepository } from './sqlite-passkey.repository';
import { StoragePort, portsExcept, providersExcept } from '../storage.tokens';
import { TokenCipher } from '../token-cipher';
import { SqliteBalanceRepository } from './sqlite-balance.repository';
import { SqliteAuditLog } from './sqlite-audit.log';
import { SQLITE_OPTIONS, SqliteDatabase } from './sqlite-database';
import { SqliteIdpTokenVault } from './sqlite-idp-token.vault';
import { SqliteKeyValueStore } from './sqlite-key-value.store';
import { SqliteModerationRepository } from './sqlite-moderation.repository';
import { SqliteOneTimeTokenRepository } from './sqlite-one-time-token.repository';
import { SqliteOutboxRepository } from './sqlite-outbox.repository';
import { SqliteSessionRepository } from './sqlite-session.repository';
import { SqliteStoreLifecycle } from './sqlite-store-lifecycle';
import { SqliteTwoFactorRepository } from './sqlite-two-factor.repository';
import { SqliteUnitOfWork } from './sqlite-unit-of-work';
import { SqliteUserRepository } from './sqlite-user.repository';

export interface SqliteStorageOptions {
  /** Path of the database file; its directory is created when missing. */
  file: string;
  synchronous?: 'full' | 'normal';
  /** See SqliteOpenOptions. */
  bootCheckMaxBytes?: number;
  cipher: TokenCipher;
  /** Ports another module provides instead (Redis); left out here so there is one binding each. */
  servedElsewhere?: readonly StoragePort[];
}

/** The embedded adapter: every storage port backed by one SQLite file. */
@Module({})
export class SqliteStorageModule {
  static register(opts: SqliteStorageOptions): DynamicModule {
    const ports: Provider[] = [
      { provide: UserRepository, useClass: SqliteUserRepository },
      { provide: SessionRepository, useClass: SqliteSessionRepository },
      { provide: OneTimeTokenRepository, useClass: SqliteOneTimeTokenRepository },
      { provide: ModerationRepository, useClass: SqliteModerationRepository },
      { provide: KeyValueStore, useClass: SqliteKeyValueStore },
      { provide: OutboxRepository, useClass: SqliteOutboxRepository },
      { provide: IdpTokenVault, useClass: SqliteIdpTokenVault },
      { provide: StoreLifecycle, useClass: SqliteStoreLifecycle },
      { provide: TwoFactorRepository, useClass: SqliteTwoFactorRepository },
      { provide: BalanceRepository, useClass: SqliteBalanceRepository },
      { provide: PasskeyRepository, useClass: SqlitePasskeyRepository },
      { provide: UnitOfWork, useClass: SqliteUnitOfWork },
      { provide: AuditLog, useClass: SqliteAuditLog },
    ];
    return {
      module: SqliteStorageModule,
      providers: [
        { provide: SQLITE_OPTIONS, useValue: { file: opts.file, synchronous: opts.synchronous, bootCheckMaxBytes: opts.bootCheckMaxBytes } },
        { provide: TokenCipher, useValue: opts.cipher },
        SqliteDatabase,
        ...providersExcept(ports, opts.servedElsewhere),
      ],
      exports: portsExcept(opts.servedElsewhere),
    };
  }

  static fileIn(dataDir: string): string {
    return path.join(dataDir, 'gatehouse.db');
  }
}
