import * as path from 'node:path';
import { z } from 'zod';
import { bool, connectionUri, count, duration, oneOf, optBool, str } from '../fields/env-fields';
import { problem } from './issue';

export const storageSchema = z
  .object({
    DATA_DIR: str('./data'),
    MONGO_URI: connectionUri(['mongodb:', 'mongodb+srv:']),
    MONGO_SERVER_SELECTION_TIMEOUT: duration(5_000, { min: 100, max: 60_000 }),
    // A stalled server (socket open, no answer) fails the operation after this long: 503, not a hang.
    MONGO_SOCKET_TIMEOUT: duration(10_000, { min: 1_000, max: 120_000 }),
    // Store only password hashes LibreChat's bcryptjs can verify. Lives here because its default
    // depends on the store: on by default with MongoDB (a database LibreChat may share), off on SQLite.
    PASSWORD_HASH_LIBRECHAT_COMPAT: optBool(),
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
    mongoSocketTimeoutMs: v.MONGO_SOCKET_TIMEOUT,
    /** Hashes stay in the form LibreChat reads: raw input, plain bcrypt, no pre-hash (PW-14). */
    librechatCompatibleHashes: v.PASSWORD_HASH_LIBRECHAT_COMPAT ?? Boolean(v.MONGO_URI),
    /** Redis is used only when USE_REDIS=true, as in LibreChat. */
    redisUri: v.USE_REDIS ? (v.REDIS_URI ?? null) : null,
    redisKeyPrefix: v.REDIS_KEY_PREFIX,
    sqliteSynchronous: v.SQLITE_SYNCHRONOUS,
    sqliteBootCheckMaxBytes: v.SQLITE_BOOT_CHECK_MAX_MB * 1024 * 1024,
  }));

export type StorageSettings = z.output<typeof storageSchema>;
