/** What the storage layer needs to open its backend; built from the validated config. */
export interface StorageOptions {
  /** `sqlite` (embedded default) or `mongo` (when MONGO_URI is set). */
  kind: 'sqlite' | 'mongo';
  /** Directory of the embedded database file (`gatehouse.db`). */
  dataDir: string;
  mongoUri: string | null;
  /** Fail fast when MongoDB is unreachable instead of buffering (RL-01). */
  mongoServerSelectionTimeoutMs: number;
  /** MONGO_SOCKET_TIMEOUT: bound on an operation a connected server does not answer (RL-20). */
  mongoSocketTimeoutMs?: number;
  /**
   * When set (USE_REDIS=true), key-value entries and moderation state live in Redis so several
   * instances share them; every other port stays on the primary store.
   */
  redisUri: string | null;
  /** Prepended to every Redis key (REDIS_KEY_PREFIX). */
  redisKeyPrefix: string;
  /** Key material for sealing IdP tokens at rest. */
  credsKey: string;
  /** SQLITE_SYNCHRONOUS; default `full` (RL-17). */
  sqliteSynchronous?: 'full' | 'normal';
  /** SQLITE_BOOT_CHECK_MAX_MB in bytes; default 1 GiB, 0 skips the boot check (RL-16). */
  sqliteBootCheckMaxBytes?: number;
}
