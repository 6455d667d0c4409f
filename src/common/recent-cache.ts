import type { Clock } from './clock';
import type { MaybePromise } from './maybe-async';

/**
 * How long a lookup made for the bearer path may be reused. It bounds how late a change made by
 * another process (a second instance, the CLI, LibreChat on a shared MongoDB) is seen: a ban or a
 * deleted account takes effect there within this time. Changes made by this process evict at once.
 */
export const RECENT_LOOKUP_MS = 1000;

/**
 * A small map of recent lookups, each valid for `maxAgeMs` by the injected clock (so tests move
 * time instead of sleeping). Bounded: when full it starts over, which costs one lookup per key.
 */
export class RecentCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  /** Bumped by every eviction, so a lookup that was in flight across one is not kept. */
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly maxAgeMs = RECENT_LOOKUP_MS,
    private readonly maxEntries = 10_000,
  ) {}

  /**
   * The value looked up less than `maxAgeMs` ago, returned as it is (no promise: see maybe-async.ts),
   * else a fresh one from `load`, kept only if it resolved.
   */
  get(key: string, load: () => Promise<V>): MaybePromise<V> {
    const now = this.clock.now().getTime();
    const hit = this.entries.get(key);
    // A clock moved backwards (tests, NTP) must not make an entry immortal.
    if (hit && now - hit.at < this.maxAgeMs && now >= hit.at) return hit.value;
    return this.load(key, load, now);
  }

  private async load(key: string, load: () => Promise<V>, now: number): Promise<V> {
    const generation = this.generation;
    const value = await load();
    if (generation !== this.generation) return value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, at: now });
    return value;
  }

  delete(key: string): void {
    this.generation += 1;
    this.entries.delete(key);
  }

  /** Evicts every entry whose key matches, e.g. all of one user's entries under a `userId:` prefix. */
  deleteWhere(matches: (key: string) => boolean): void {
    this.generation += 1;
    for (const key of this.entries.keys()) if (matches(key)) this.entries.delete(key);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
