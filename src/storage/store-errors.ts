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
]);
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB)/;

export class StoreUnavailableError extends Error {
  constructor(message = 'store unavailable', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** Duck-typed: driver errors may come from another realm (native addons, jest registries). */
export function isStoreUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  if (error instanceof StoreUnavailableError || (typeof name === 'string' && MONGO_UNAVAILABLE.has(name))) return true;
  if (typeof code === 'string' && SQLITE_UNAVAILABLE.test(code)) return true;
  // A closed better-sqlite3 handle throws a TypeError with this text.
  return typeof message === 'string' && /database connection is not open/i.test(message);
}
