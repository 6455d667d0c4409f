import { RedisConnection } from './redis-connection';
import { LuaScript } from './redis-scripts';

/**
 * How long Redis keeps a key past its logical expiry. Liveness is decided by the stored
 * expiresAt against the caller's clock; the real TTL only garbage-collects, with slack so a
 * caller whose clock runs a little behind Redis' still sees its entries.
 */
export const GC_SLACK_MS = 60_000;

/** Real TTL (PX) for an entry that logically expires at `expiresAt`, seen from `now`. */
export function gcTtlMs(expiresAt: number, now: Date): number {
  return Math.max(expiresAt - now.getTime(), 0) + GC_SLACK_MS;
}

export function isLive(expiresAt: string | null | undefined, now: Date): boolean {
  return expiresAt !== null && expiresAt !== undefined && Number(expiresAt) > now.getTime();
}

/**
 * Removes logically expired records under a SCAN pattern, one batch per script call (each
 * batch re-checks expiry atomically, so a record renewed meanwhile is kept).
 */
export async function sweep(redis: RedisConnection, pattern: string, script: LuaScript, now: Date): Promise<number> {
  let removed = 0;
  for await (const keys of redis.scan(pattern)) {
    removed += Number(await redis.eval(script, keys, [now.getTime()]));
  }
  return removed;
}
