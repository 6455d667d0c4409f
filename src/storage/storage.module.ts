import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import type { GatehouseConfig } from '../config';
import type { MongoModerationRepository } from './mongo/mongo-moderation.repository';
import { ModerationRepository } from './ports';
import type { RedisModerationRepository } from './redis/redis-moderation.repository';
import { SplitModerationRepository } from './split-moderation.repository';
import { SqliteStorageModule } from './sqlite/sqlite-storage.module';
import { StorageOptions } from './storage.options';
import { StorageJanitor } from './storage-janitor';
import { StoreChangeFeed } from './store-change-feed';
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
      sqliteSynchronous: config.storage.sqliteSynchronous,
      sqliteBootCheckMaxBytes: config.storage.sqliteBootCheckMaxBytes,
    });
  }

  static forRoot(options: StorageOptions): DynamicModule {
    const cipher = new TokenCipher(options.credsKey);
    // MB-17: LibreChat reads bans only from MongoDB's `logs`, even with Redis on; so with MongoDB
    // as the primary store, Redis keeps the scores and bans stay in `logs`.
    const splitBans = options.kind === 'mongo' && options.redisUri !== null;
    // Each port has exactly one binding: the primary adapter leaves out what Redis serves.
    // The adapters are loaded only when the configuration uses them: mongoose alone costs the
    // embedded store's boot more than half a second and tens of MiB it would never use.
    const redis = options.redisUri ? loadRedis() : null;
    const shared =
      redis && options.redisUri
        ? redis.RedisStorageModule.register({ uri: options.redisUri, keyPrefix: options.redisKeyPrefix }, { scoresOnly: splitBans })
        : null;
    const servedElsewhere = redis ? redis.REDIS_SERVED_PORTS : [];
    const adapter =
      options.kind === 'mongo'
        ? loadMongo().MongoStorageModule.register({
            uri: requireUri(options.mongoUri),
            serverSelectionTimeoutMs: options.mongoServerSelectionTimeoutMs,
            socketTimeoutMs: options.mongoSocketTimeoutMs,
            cipher,
            servedElsewhere,
            exportBanStore: splitBans,
          })
        : SqliteStorageModule.register({
            file: SqliteStorageModule.fileIn(options.dataDir),
            synchronous: options.sqliteSynchronous,
            bootCheckMaxBytes: options.sqliteBootCheckMaxBytes,
            cipher,
            servedElsewhere,
          });
    const modules = shared ? [adapter, shared] : [adapter];
    const split: Provider[] = splitBans
      ? [
          {
            provide: ModerationRepository,
            inject: [requireRedisModeration(), requireMongoModeration()],
            useFactory: (scores: RedisModerationRepository, bans: MongoModerationRepository) => new SplitModerationRepository(scores, bans),
          },
        ]
      : [];
    return {
      module: StorageModule,
      imports: modules,
      providers: [StorageJanitor, { provide: StoreChangeFeed, useValue: new StoreChangeFeed() }, ...split],
      exports: [...modules, StorageJanitor, StoreChangeFeed, ...(splitBans ? [ModerationRepository] : [])],
    };
  }
}

function loadRedis(): typeof import('./redis/redis-storage.module') {
  return require('./redis/redis-storage.module') as typeof import('./redis/redis-storage.module');
}

function loadMongo(): typeof import('./mongo/mongo-storage.module') {
  return require('./mongo/mongo-storage.module') as typeof import('./mongo/mongo-storage.module');
}

function requireRedisModeration(): typeof RedisModerationRepository {
  return (require('./redis/redis-moderation.repository') as typeof import('./redis/redis-moderation.repository')).RedisModerationRepository;
}

function requireMongoModeration(): typeof MongoModerationRepository {
  return (require('./mongo/mongo-moderation.repository') as typeof import('./mongo/mongo-moderation.repository')).MongoModerationRepository;
}

function requireUri(uri: string | null): string {
  if (!uri) throw new Error('storage kind "mongo" needs a MongoDB URI');
  return uri;
}
