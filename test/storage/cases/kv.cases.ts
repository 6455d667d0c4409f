import { StoreContext, T0, at, race } from './context';

export function kvCases(ctx: StoreContext): void {
  const kv = () => ctx.ports().kv;

  it('gets and overwrites values until their TTL ends', async () => {
    expect(await kv().get('k', T0)).toBeNull();
    await kv().set('k', 'v1', 1000, T0);
    expect(await kv().get('k', at(999))).toBe('v1');
    expect(await kv().get('k', at(1000))).toBeNull();
    await kv().set('k', 'v2', 1000, at(500));
    expect(await kv().get('k', at(1499))).toBe('v2');
    expect(await kv().get('k', at(1500))).toBeNull();
  });

  it('setIfAbsent sets only an absent or expired key', async () => {
    expect(await kv().setIfAbsent('lock', 'a', 1000, T0)).toBe(true);
    expect(await kv().setIfAbsent('lock', 'b', 1000, at(999))).toBe(false);
    expect(await kv().get('lock', at(999))).toBe('a');
    expect(await kv().setIfAbsent('lock', 'c', 1000, at(1000))).toBe(true);
    expect(await kv().get('lock', at(1999))).toBe('c');
  });

  it('lets exactly one of 10 parallel setIfAbsent calls win', async () => {
    const { ok, errors } = await race(10, (i) => kv().setIfAbsent('once', `v${i}`, 1000, T0));
    expect(errors).toEqual([]);
    expect(ok.filter(Boolean)).toHaveLength(1);
  });

  it('take reads and deletes in one step, and never returns expired values', async () => {
    await kv().set('state', 'xyz', 1000, T0);
    expect(await kv().take('state', at(1))).toBe('xyz');
    expect(await kv().take('state', at(1))).toBeNull();
    expect(await kv().get('state', at(1))).toBeNull();
    await kv().set('stale', 'old', 1000, T0);
    expect(await kv().take('stale', at(1000))).toBeNull();
    await kv().set('twice', 'v', 1000, T0);
    const { ok } = await race(2, () => kv().take('twice', T0));
    expect(ok.filter((v) => v !== null)).toEqual(['v']);
  });

  it('delete removes a key', async () => {
    await kv().set('d', 'v', 1000, T0);
    expect(await kv().delete('d')).toBe(true);
    expect(await kv().get('d', T0)).toBeNull();
    expect(await kv().delete('d')).toBe(false);
  });

  it('increment keeps a fixed window from the first increment', async () => {
    expect(await kv().increment('hits', 1, 1000, T0)).toEqual({ value: 1, expiresAt: at(1000) });
    expect(await kv().increment('hits', 2, 1000, at(600))).toEqual({ value: 3, expiresAt: at(1000) });
    expect(await kv().get('hits', at(999))).toBe('3');
    // The window has ended: the counter restarts with a new window.
    expect(await kv().increment('hits', 1, 1000, at(1000))).toEqual({ value: 1, expiresAt: at(2000) });
    expect(await kv().increment('hits', 1, 5000, at(1500))).toEqual({ value: 2, expiresAt: at(2000) });
  });

  it('loses no parallel increments', async () => {
    const { ok } = await race(10, () => kv().increment('burst', 1, 1000, T0));
    expect(ok.map((c) => c.value).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await kv().get('burst', T0)).toBe('10');
  });

  it('deleteExpired removes expired entries only', async () => {
    await kv().set('a', '1', 1000, at(-2000));
    await kv().set('b', '2', 1000, at(-1000));
    await kv().set('c', '3', 1000, T0);
    await kv().increment('n', 1, 1000, at(-5000));
    expect(await kv().deleteExpired(T0)).toBe(3);
    expect(await kv().deleteExpired(T0)).toBe(0);
    expect(await kv().get('c', T0)).toBe('3');
  });
}
