/**
 * Recognises "the backend is unreachable or overloaded" failures from either adapter, so the
 * error filter can answer 503 instead of a misleading 401/500 (RL-01).
 */
const MONGO_UNAVAILABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
  'MongoOperationTimeoutError',
]);
/**
 * Server replies of a replica set that is failing over or shutting down (RL-21): NotWritablePrimary,
 * NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary, PrimarySteppedDown, ShutdownInProgress,
 * InterruptedAtShutdown, InterruptedDueToReplStateChange, HostUnreachable, HostNotFound,
 * NetworkTimeout, SocketException, ExceededTimeLimit. A retry a moment later will succeed, so the
 * answer is 503, never a 500.
 */
const MONGO_FAILOVER_CODES = new Set([10107, 13435, 13436, 189, 91, 11600, 11602, 6, 7, 89, 9001, 262]);
const MONGO_FAILOVER_NAMES = new Set(['NotWritablePrimary', 'NotPrimaryNoSecondaryOk', 'NotPrimaryOrSecondary', 'PrimarySteppedDown', 'ShutdownInProgress']);
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB)/;
/**
 * ioredis rejects with plain Errors while disconnected (offline queue off), when a reply is
 * late, or when the connection drops under a command; its MaxRetriesPerRequestError has a name.
 */
const IOREDIS_UNAVAILABLE_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);
const IOREDIS_UNAVAILABLE_MESSAGE = /^(Stream isn't writeable and enableOfflineQueue options is false|Connection is closed\.|Command timed out)/;
/** Replies of a Redis that is up but cannot serve: loading, failing over, busy script, out of memory. */
const REDIS_UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|CLUSTERDOWN|TRYAGAIN|NOREPLICAS|OOM)\b/;

/** Which backend failed, as a bounded metric label. */
export type UnavailableStore = 'redis' | 'mongo' | 'sqlite' | 'unknown';

export class StoreUnavailableError extends Error {
  readonly store: UnavailableStore;
  constructor(message = 'store unavailable', options?: { cause?: unknown; store?: UnavailableStore }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
    this.store = options?.store ?? 'unknown';
  }
}

/**
 * Names the backend of an error isStoreUnavailable recognised (the store-error metric's label).
 * Redis failures reach here wrapped by RedisConnection, which stamps `store`.
 */
export function unavailableStore(error: unknown): UnavailableStore {
  if (error instanceof StoreUnavailableError) return error.store;
  const { name, code, message } = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
  if (typeof name === 'string' && name.startsWith('Mongo')) return 'mongo';
  if ((typeof code === 'string' && code.startsWith('SQLITE_')) || (typeof message === 'string' && /database connection is not open/i.test(message)))
    return 'sqlite';
  if (typeof name === 'string' && (IOREDIS_UNAVAILABLE_NAMES.has(name) || name === 'ReplyError')) return 'redis';
  if (typeof message === 'string' && IOREDIS_UNAVAILABLE_MESSAGE.test(message)) return 'redis';
  return 'unknown';
}

/** Duck-typed: driver errors may come from another realm (native addons, jest registries). */
export function isStoreUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  if (error instanceof StoreUnavailableError || (typeof name === 'string' && MONGO_UNAVAILABLE.has(name))) return true;
  if (typeof code === 'string' && SQLITE_UNAVAILABLE.test(code)) return true;
  if (isMongoFailover(error as { name?: unknown; code?: unknown; codeName?: unknown })) return true;
  if (typeof name === 'string' && IOREDIS_UNAVAILABLE_NAMES.has(name)) return true;
  if (typeof message === 'string') {
    if (IOREDIS_UNAVAILABLE_MESSAGE.test(message)) return true;
    if (name === 'ReplyError' && REDIS_UNAVAILABLE_REPLY.test(message)) return true;
  }
  // A closed better-sqlite3 handle throws a TypeError with this text.
  return typeof message === 'string' && /database connection is not open/i.test(message);
}

function isMongoFailover(error: { name?: unknown; code?: unknown; codeName?: unknown }): boolean {
  if (typeof error.name !== 'string' || !error.name.startsWith('Mongo')) return false;
  if (typeof error.code === 'number' && MONGO_FAILOVER_CODES.has(error.code)) return true;
  return typeof error.codeName === 'string' && MONGO_FAILOVER_NAMES.has(error.codeName);
}
