import { EmptyTokenFilterError } from '../../../src/storage';
import { StoreContext, HOUR, T0, at, race } from './context';

export function tokenCases(ctx: StoreContext): void {
  const tokens = () => ctx.ports().tokens;
  const USER = 'cccccccccccccccccccccccc';

  it('creates tokens and finds them with a canonical email and their metadata', async () => {
    const t = await tokens().create({
      type: 'verify-email',
      tokenHash: 'th-1',
      expiresAt: at(HOUR),
      userId: USER,
      email: ' Ivan@Example.com ',
      identifier: 'ident-1',
      metadata: { redirect: '/welcome' },
      createdAt: T0,
    });
    expect(t).toMatchObject({
      userId: USER,
      email: 'ivan@example.com',
      type: 'verify-email',
      identifier: 'ident-1',
      tokenHash: 'th-1',
      metadata: { redirect: '/welcome' },
    });
    expect(t.createdAt.getTime()).toBe(T0.getTime());
    expect(t.expiresAt.getTime()).toBe(at(HOUR).getTime());
    expect(await tokens().find({ tokenHash: 'th-1' }, T0)).toEqual([t]);
    expect(await tokens().find({ email: 'IVAN@example.com' }, T0)).toEqual([t]);
    const bare = await tokens().create({ type: 'reset', tokenHash: 'th-2', expiresAt: at(HOUR) });
    expect(bare).toMatchObject({ userId: null, email: null, identifier: null, metadata: null });
  });

  it('lets exactly one of two parallel consumeOne calls take a token', async () => {
    await tokens().create({ type: 'reset', tokenHash: 'once', expiresAt: at(HOUR), userId: USER });
    const { ok, errors } = await race(2, () => tokens().consumeOne({ type: 'reset', tokenHash: 'once' }, T0));
    expect(errors).toEqual([]);
    expect(ok.filter((r) => r !== null)).toHaveLength(1);
    expect(ok.find((r) => r !== null)).toMatchObject({ tokenHash: 'once', userId: USER });
    expect(await tokens().find({ tokenHash: 'once' }, T0)).toEqual([]);
    expect(await tokens().consumeOne({ tokenHash: 'once' }, T0)).toBeNull();
  });

  it('consumeOne takes one token at a time and ignores expired ones', async () => {
    await tokens().create({ type: 'invite', tokenHash: 'old', expiresAt: at(-1), email: 'j@example.com' });
    await tokens().create({ type: 'invite', tokenHash: 'edge', expiresAt: T0, email: 'j@example.com' });
    expect(await tokens().consumeOne({ type: 'invite' }, T0)).toBeNull();
    await tokens().create({ type: 'invite', tokenHash: 'live1', expiresAt: at(HOUR), email: 'j@example.com' });
    await tokens().create({ type: 'invite', tokenHash: 'live2', expiresAt: at(HOUR), email: 'j@example.com' });
    const first = await tokens().consumeOne({ type: 'invite', email: 'J@Example.com' }, T0);
    const second = await tokens().consumeOne({ type: 'invite', email: 'j@example.com' }, T0);
    expect([first?.tokenHash, second?.tokenHash].sort()).toEqual(['live1', 'live2']);
    expect(await tokens().consumeOne({ type: 'invite' }, T0)).toBeNull();
    // The expired ones were left alone, for deleteExpired to sweep.
    expect(await tokens().deleteMany({ type: 'invite' })).toBe(2);
  });

  it('MB-22 consumeOne takes the oldest matching token first', async () => {
    await tokens().create({ type: 'invite', tokenHash: 'newer', expiresAt: at(HOUR), email: 'o@example.com', createdAt: at(2) });
    await tokens().create({ type: 'invite', tokenHash: 'oldest', expiresAt: at(HOUR), email: 'o@example.com', createdAt: at(-2) });
    await tokens().create({ type: 'invite', tokenHash: 'middle', expiresAt: at(HOUR), email: 'o@example.com', createdAt: at(0) });
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await tokens().consumeOne({ type: 'invite', email: 'o@example.com' }, T0))?.tokenHash);
    expect(order).toEqual(['oldest', 'middle', 'newer']);
  });

  it('ANDs every given filter field', async () => {
    await tokens().create({ type: 'verify-email', tokenHash: 'h', expiresAt: at(HOUR), userId: USER, email: 'k@example.com', identifier: 'id-1' });
    const hit = { type: 'verify-email', tokenHash: 'h', userId: USER, email: 'K@EXAMPLE.COM', identifier: 'id-1' };
    expect(await tokens().find(hit, T0)).toHaveLength(1);
    for (const miss of [
      { ...hit, type: 'reset' },
      { ...hit, tokenHash: 'other' },
      { ...hit, userId: 'dddddddddddddddddddddddd' },
      { ...hit, email: 'l@example.com' },
      { ...hit, identifier: 'id-2' },
    ]) {
      expect(await tokens().find(miss, T0)).toEqual([]);
      expect(await tokens().consumeOne(miss, T0)).toBeNull();
      expect(await tokens().deleteMany(miss)).toBe(0);
    }
    expect(await tokens().find({ userId: USER, type: 'verify-email' }, T0)).toHaveLength(1);
    expect(await tokens().consumeOne(hit, T0)).toMatchObject({ tokenHash: 'h' });
  });

  it('find skips expired tokens; deleteMany and deleteExpired remove what they match', async () => {
    await tokens().create({ type: 'reset', tokenHash: 'r1', expiresAt: at(-1), userId: USER });
    await tokens().create({ type: 'reset', tokenHash: 'r2', expiresAt: at(HOUR), userId: USER });
    await tokens().create({ type: 'reset', tokenHash: 'r3', expiresAt: at(HOUR), userId: 'eeeeeeeeeeeeeeeeeeeeeeee' });
    await tokens().create({ type: 'verify-email', tokenHash: 'v1', expiresAt: T0, userId: USER });
    expect((await tokens().find({ userId: USER }, T0)).map((t) => t.tokenHash)).toEqual(['r2']);
    expect(await tokens().deleteExpired(T0)).toBe(2);
    expect(await tokens().deleteExpired(T0)).toBe(0);
    expect(await tokens().deleteMany({ type: 'reset', userId: USER })).toBe(1);
    expect((await tokens().find({ type: 'reset' }, T0)).map((t) => t.tokenHash)).toEqual(['r3']);
  });

  it('refuses an empty filter for every operation instead of matching every token', async () => {
    await tokens().create({ type: 'reset', tokenHash: 'keep', expiresAt: at(HOUR), userId: USER });
    await expect(tokens().consumeOne({}, T0)).rejects.toThrow(EmptyTokenFilterError);
    await expect(tokens().deleteMany({})).rejects.toThrow(EmptyTokenFilterError);
    await expect(tokens().find({}, T0)).rejects.toThrow(EmptyTokenFilterError);
    // Fields present but undefined are unset too (an optional value the caller forgot to fill).
    await expect(tokens().consumeOne({ userId: undefined, tokenHash: undefined }, T0)).rejects.toThrow(EmptyTokenFilterError);
    expect(await tokens().find({ tokenHash: 'keep' }, T0)).toHaveLength(1);
  });
}
