import { DynamicModule, Global, Module } from '@nestjs/common';
import type { GatehouseConfig } from '../config/config.types';
import { MongoStorageModule } from './mongo/mongo-storage.module';
import { SqliteStorageModule } from './sqlite/sqlite-storage.module';
import { StorageOptions } from './storage.options';
import { StorageJanitor } from './storage-janitor';
import { TokenCipher } from './token-cipher';

/**
 * Picks the adapter from config: MongoDB when MONGO_URI is set, the embedded SQLite file otherwise.
 * Other modules depend only on the ports (abstract classes) this module exports.
 */
@Global()
@Module({})
export class StorageModule {
  /** The adapter the validated configuration asks for (used by the server and the CLI alike). */
  static forConfig(config: Pick<GatehouseConfig, 'storage' | 'secrets'>): DynamicModule {
    return StorageModule.forRoot({
      kind: config.storage.kind,
      dataDir: config.storage.dataDir,
      mongoUri: config.storage.mongoUri,
      mongoServerSelectionTimeoutMs: config.storage.mongoServerSelectionTimeoutMs,
      credsKey: config.secrets.credsKey,
    });
  }

  static forRoot(options: StorageOptions): DynamicModule {
    const cipher = new TokenCipher(options.credsKey);
    const adapter =
      options.kind === 'mongo'
        ? MongoStorageModule.register({
            uri: requireUri(options.mongoUri),
            serverSelectionTimeoutMs: options.mongoServerSelectionTimeoutMs,
            cipher,
          })
        : SqliteStorageModule.register({ file: SqliteStorageModule.fileIn(options.dataDir), cipher });
    return { module: StorageModule, imports: [adapter], providers: [StorageJanitor], exports: [adapter, StorageJanitor] };
  }
}

function requireUri(uri: string | null): string {
  if (!uri) throw new Error('storage kind "mongo" needs a MongoDB URI');
  return uri;
}
