import { DynamicModule, Global, Module } from '@nestjs/common';
import type { GatehouseConfig } from '../config/config.types';
import { MongoStorageModule } from './mongo/mongo-storage.module';
import { REDIS_SERVED_PORTS, RedisStorageModule } from './redis/redis-storage.module';
import { SqliteStorageModule } from './sqlite/sqlite-storage.module';
import { StorageOptions } from './storage.options';
import { StorageJanitor } from './storage-janitor';
import { TokenCipher } from './token-cipher';

/**
 * Picks the adapter from config: MongoDB when MONGO_URI is set, the embedded SQLite file otherwise.
 * With a Redis URI (USE_REDIS), the key-value and moderation ports are served by Redis instead.
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
      mongoSocketTimeoutMs: config.storage.mongoSocketTimeoutMs,
      redisUri: config.storage.redisUri,
      redisKeyPrefix: config.storage.redisKeyPrefix,
      credsKey: config.secrets.credsKey,
    });
  }

  static forRoot(options: StorageOptions): DynamicModule {
    const cipher = new TokenCipher(options.credsKey);
    // Each port has exactly one binding: the primary adapter leaves out what Redis serves.
    const shared = options.redisUri ? RedisStorageModule.register({ uri: options.redisUri, keyPrefix: options.redisKeyPrefix }) : null;
    const servedElsewhere = shared ? REDIS_SERVED_PORTS : [];
    const adapter =
      options.kind === 'mongo'
        ? MongoStorageModule.register({
            uri: requireUri(options.mongoUri),
            serverSelectionTimeoutMs: options.mongoServerSelectionTimeoutMs,
            socketTimeoutMs: options.mongoSocketTimeoutMs,
            cipher,
            servedElsewhere,
          })
        : SqliteStorageModule.register({ file: SqliteStorageModule.fileIn(options.dataDir), cipher, servedElsewhere });
    const modules = shared ? [adapter, shared] : [adapter];
    return { module: StorageModule, imports: modules, providers: [StorageJanitor], exports: [...modules, StorageJanitor] };
  }
}

function requireUri(uri: string | null): string {
  if (!uri) throw new Error('storage kind "mongo" needs a MongoDB URI');
  return uri;
}
