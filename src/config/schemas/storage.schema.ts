import * as path from 'node:path';
import { z } from 'zod';
import { bool, connectionUri, count, duration, oneOf, str } from '../fields/env-fields';
import { problem } from './issue';

export const storageSchema = z
  .object({
    DATA_DIR: str('./data'),
    MONGO_URI: connectionUri(['mongodb:', 'mongodb+srv:']),
    MONGO_SERVER_SELECTION_TIMEOUT: duration(5_000, { min: 100, max: 60_000 }),
    USE_REDIS: bool(false),
    REDIS_URI: connectionUri(['redis:', 'rediss:']),
    REDIS_KEY_PREFIX: str('gatehouse:'),
    // FULL: a commit is on disk before it is acknowledged, so a revoked session or changed
    // password survives power loss (RL-17). NORMAL trades that for throughput.
    SQLITE_SYNCHRONOUS: oneOf(['full', 'normal'] as const, 'full'),
    // Boot integrity check (RL-16): files above this size skip it; 0 turns it off.
    SQLITE_BOOT_CHECK_MAX_MB: count(1024, { min: 0, max: 1_000_000 }),
  })
  .superRefine((v, ctx) => {
    if (v.USE_REDIS && !v.REDIS_URI) problem(ctx, 'REDIS_URI', 'is required when USE_REDIS=true; expected e.g. redis://127.0.0.1:6379');
  })
  .transform((v) => ({
    dataDir: path.resolve(v.DATA_DIR),
    kind: v.MONGO_URI ? ('mongo' as const) : ('sqlite' as const),
    mongoUri: v.MONGO_URI ?? null,
    mongoServerSelectionTimeoutMs: v.MONGO_SERVER_SELECTION_TIMEOUT,
    /** Redis is used only when USE_REDIS=true, as in LibreChat. */
    redisUri: v.USE_REDIS ? (v.REDIS_URI ?? null) : null,
    redisKeyPrefix: v.REDIS_KEY_PREFIX,
    sqliteSynchronous: v.SQLITE_SYNCHRONOUS,
    sqliteBootCheckMaxBytes: v.SQLITE_BOOT_CHECK_MAX_MB * 1024 * 1024,
  }));

export type StorageSettings = z.output<typeof storageSchema>;
