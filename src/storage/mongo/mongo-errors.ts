/** Server error codes for a unique index violation (11001 is the pre-2.6 spelling some proxies still use). */
const DUPLICATE_KEY_CODES = new Set([11000, 11001]);

interface DuplicateKeyErrorLike {
  code: number;
  keyPattern?: Record<string, unknown>;
  message?: string;
}

export function isDuplicateKeyError(err: unknown): err is DuplicateKeyErrorLike {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' && DUPLICATE_KEY_CODES.has(code);
}

/**
 * Fields of the unique index that was violated. `keyPattern` is set by MongoDB 4.4+; older
 * servers only name the index in the message (`index: email_1_tenantId_1 dup key: ...`).
 */
export function duplicateKeyFields(err: unknown): string[] {
  if (!isDuplicateKeyError(err)) return [];
  if (err.keyPattern && typeof err.keyPattern === 'object') return Object.keys(err.keyPattern);
  const indexName = /index: (\S+)/.exec(err.message ?? '')?.[1];
  if (!indexName) return [];
  return indexName.split('_').filter((_part, i) => i % 2 === 0);
}

/**
 * Retries an upsert that lost an insert race. MongoDB retries such upserts itself when the filter
 * is an equality match on the unique key, but not every server version or filter qualifies, so
 * the retry is repeated here: the second attempt finds the winner's document and updates it.
 */
export async function retryOnDuplicateKey<T>(operation: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (err) {
      if (!isDuplicateKeyError(err) || attempt >= attempts) throw err;
    }
  }
}
