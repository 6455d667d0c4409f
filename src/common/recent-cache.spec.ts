import { Clock } from './clock';
import { RecentCache, RECENT_LOOKUP_MS } from './recent-cache';

class HeldClock extends Clock {
  at = 1_000_000;
  now(): Date {
    return new Date(this.at);
  }
}

describe('RecentCache', () => {
  it('reuses a lookup for less than RECENT_LOOKUP_MS of the injected clock, then looks up again', async () => {
    const clock = new HeldClock();
    const cache = new RecentCache<number>(clock);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('k', load)).toBe(1);
    clock.at += RECENT_LOOKUP_MS - 1;
    expect(await cache.get('k', load)).toBe(1);
    clock.at += 1;
    expect(await cache.get('k', load)).toBe(2);
  });

  it('answers a recent lookup with the value itself, not a promise; a miss with a promise', async () => {
    const cache = new RecentCache<number>(new HeldClock());
    const miss = cache.get('k', async () => 7);
    expect(miss).toBeInstanceOf(Promise);
    await miss;
    expect(cache.get('k', async () => 8)).toBe(7);
  });

  it('a clock moved backwards does not keep an entry alive', async () => {
    const clock = new HeldClock();
    const cache = new RecentCache<number>(clock);
    let loads = 0;
    await cache.get('k', async () => ++loads);
    clock.at -= 10;
    expect(await cache.get('k', async () => ++loads)).toBe(2);
  });

  it('an eviction during a lookup in flight is not undone by that lookup', async () => {
    const clock = new HeldClock();
    const cache = new RecentCache<string>(clock);
    let release!: (v: string) => void;
    const inFlight = cache.get('k', () => new Promise((resolve) => (release = resolve)));
    cache.delete('k');
    release('stale');
    expect(await inFlight).toBe('stale');
    expect(await cache.get('k', async () => 'fresh')).toBe('fresh');
  });

  it('a failed lookup is not kept', async () => {
    const cache = new RecentCache<string>(new HeldClock());
    await expect(cache.get('k', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', async () => 'up')).toBe('up');
  });

  it('stays bounded: a full cache starts over', async () => {
    const cache = new RecentCache<number>(new HeldClock(), RECENT_LOOKUP_MS, 2);
    let loads = 0;
    for (const key of ['a', 'b', 'c']) await cache.get(key, async () => ++loads);
    // 'a' was dropped when 'c' arrived.
    expect(await cache.get('a', async () => ++loads)).toBe(4);
  });
});
