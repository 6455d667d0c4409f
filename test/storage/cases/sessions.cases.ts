import { StoreContext, HOUR, T0, at } from './context';

export function sessionCases(ctx: StoreContext): void {
  const sessions = () => ctx.ports().sessions;
  const USER = 'aaaaaaaaaaaaaaaaaaaaaaaa';
  const OTHER = 'bbbbbbbbbbbbbbbbbbbbbbbb';
  const open = (tokenHash: string, userId = USER, expiresAt = at(24 * HOUR)) => sessions().create({ userId, tokenHash, expiresAt, createdAt: T0 });

  it('creates a session and finds it by id', async () => {
    const s = await sessions().create({
      userId: USER,
      tokenHash: 'h1',
      expiresAt: at(HOUR),
      createdAt: T0,
      userAgent: 'jest',
      ip: '192.0.2.1',
      provider: 'local',
    });
    expect(s).toMatchObject({
      userId: USER,
      tokenHash: 'h1',
      previousTokenHash: null,
      rotatedAt: null,
      userAgent: 'jest',
      ip: '192.0.2.1',
      provider: 'local',
    });
    expect(typeof s.id).toBe('string');
    expect(s.expiresAt.getTime()).toBe(at(HOUR).getTime());
    expect(s.createdAt.getTime()).toBe(T0.getTime());
    expect(s.lastUsedAt).toBeInstanceOf(Date);
    expect(await sessions().findById(s.id)).toEqual(s);
    const bare = await sessions().create({ userId: USER, tokenHash: 'h2', expiresAt: at(HOUR) });
    expect(bare).toMatchObject({ userAgent: null, ip: null, provider: null });
    expect(bare.createdAt).toBeInstanceOf(Date);
  });

  it('finds a session by its current hash, then by the previous one after a rotation', async () => {
    const s = await open('old');
    expect(await sessions().findByTokenHash('old', T0)).toMatchObject({ matched: 'current', session: { id: s.id } });
    const rotated = await sessions().rotate({ id: s.id, expectedTokenHash: 'old', newTokenHash: 'new', now: at(1000) });
    expect(rotated).toMatchObject({ id: s.id, tokenHash: 'new', previousTokenHash: 'old' });
    expect(rotated?.rotatedAt?.getTime()).toBe(at(1000).getTime());
    expect(rotated?.lastUsedAt.getTime()).toBe(at(1000).getTime());
    expect(rotated?.expiresAt.getTime()).toBe(s.expiresAt.getTime());
    expect(await sessions().findByTokenHash('new', at(2000))).toMatchObject({ matched: 'current', session: { id: s.id } });
    expect(await sessions().findByTokenHash('old', at(2000))).toMatchObject({ matched: 'previous', session: { id: s.id } });
    expect(await sessions().findByTokenHash('unknown', at(2000))).toBeNull();
    // A second rotation forgets the first token altogether.
    await sessions().rotate({ id: s.id, expectedTokenHash: 'new', newTokenHash: 'newer', now: at(3000) });
    expect(await sessions().findByTokenHash('old', at(4000))).toBeNull();
    expect(await sessions().findByTokenHash('new', at(4000))).toMatchObject({ matched: 'previous' });
  });

  it('rotates only while the expected hash is live (compare-and-swap)', async () => {
    const s = await open('t0');
    expect(await sessions().rotate({ id: s.id, expectedTokenHash: 'wrong', newTokenHash: 'x', now: at(1) })).toBeNull();
    expect(await sessions().rotate({ id: 'no-such-session', expectedTokenHash: 't0', newTokenHash: 'x', now: at(1) })).toBeNull();
    const results = await Promise.all(
      ['a', 'b'].map((next) => sessions().rotate({ id: s.id, expectedTokenHash: 't0', newTokenHash: `t1-${next}`, now: at(10) })),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect((await sessions().findById(s.id))?.tokenHash).toBe(winners[0]?.tokenHash);
    expect((await sessions().findById(s.id))?.previousTokenHash).toBe('t0');
    // The stale token cannot rotate again.
    expect(await sessions().rotate({ id: s.id, expectedTokenHash: 't0', newTokenHash: 'late', now: at(20) })).toBeNull();
  });

  it('treats expired sessions as gone for lookups, rotation and listing', async () => {
    const s = await open('exp', USER, at(HOUR));
    expect(await sessions().findByTokenHash('exp', at(HOUR - 1))).not.toBeNull();
    expect(await sessions().findByTokenHash('exp', at(HOUR))).toBeNull();
    expect(await sessions().rotate({ id: s.id, expectedTokenHash: 'exp', newTokenHash: 'n', now: at(HOUR) })).toBeNull();
    expect(await sessions().listByUser(USER, at(HOUR))).toEqual([]);
    expect(await sessions().listByUser(USER, at(HOUR - 1))).toHaveLength(1);
  });

  it('touch moves lastUsedAt', async () => {
    const s = await open('touch');
    await sessions().touch(s.id, at(5 * 60_000));
    expect((await sessions().findById(s.id))?.lastUsedAt.getTime()).toBe(at(5 * 60_000).getTime());
  });

  it('lists, deletes one and deletes all sessions of a user', async () => {
    const a = await open('a1');
    const b = await open('a2');
    await open('short', USER, at(10));
    const other = await open('o1', OTHER);
    const listed = await sessions().listByUser(USER, at(100));
    expect(listed.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
    expect(await sessions().delete(a.id)).toBe(true);
    expect(await sessions().delete(a.id)).toBe(false);
    expect(await sessions().findById(a.id)).toBeNull();
    expect(await sessions().deleteByUser(USER)).toBe(2);
    expect(await sessions().listByUser(USER, T0)).toEqual([]);
    expect(await sessions().findById(other.id)).not.toBeNull();
    expect(await sessions().deleteByUser(USER)).toBe(0);
  });

  it('deleteExpired removes only sessions past their expiry', async () => {
    const gone = await open('gone', USER, at(-1));
    const edge = await open('edge', USER, T0);
    const kept = await open('kept', USER, at(1));
    expect(await sessions().deleteExpired(T0)).toBe(2);
    expect(await sessions().findById(gone.id)).toBeNull();
    expect(await sessions().findById(edge.id)).toBeNull();
    expect(await sessions().findById(kept.id)).not.toBeNull();
    expect(await sessions().deleteExpired(T0)).toBe(0);
  });
}
