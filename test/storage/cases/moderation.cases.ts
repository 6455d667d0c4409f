import { BanRecord } from '../../../src/storage';
import { StoreContext, HOUR, T0, at } from './context';

export function moderationCases(ctx: StoreContext): void {
  const moderation = () => ctx.ports().moderation;
  const ban = (subject: string, expiresAt: Date, extra: Partial<BanRecord> = {}): BanRecord => ({
    subject,
    type: 'logins',
    reason: null,
    violationCount: 3,
    createdAt: T0,
    expiresAt,
    userId: null,
    ...extra,
  });

  it('adds violation scores up while violations keep coming and forgets them after a quiet period (MB-05)', async () => {
    const add = (score: number, now: Date) => moderation().addViolation({ subject: 'ip:198.51.100.7', type: 'logins', score, ttlMs: 1000, now });
    expect(await add(1, T0)).toBe(1);
    expect(await add(2, at(500))).toBe(3);
    // Each violation restarts the quiet period.
    expect(await add(1, at(1400))).toBe(4);
    expect(await moderation().getViolationScore('ip:198.51.100.7', 'logins', at(2399))).toBe(4);
    expect(await moderation().getViolationScore('ip:198.51.100.7', 'logins', at(2400))).toBe(0);
    // Expired: the score restarts.
    expect(await add(5, at(3000))).toBe(5);
    expect(await moderation().getViolationScore('ip:198.51.100.7', 'logins', at(3999))).toBe(5);
    expect(await moderation().getViolationScore('ip:198.51.100.7', 'logins', at(4000))).toBe(0);
    expect(await moderation().getViolationScore('ip:198.51.100.7', 'register', T0)).toBe(0);
  });

  it('counts parallel violations without losing any', async () => {
    const totals = await Promise.all(
      Array.from({ length: 10 }, () => moderation().addViolation({ subject: 'user:x', type: 'logins', score: 1, ttlMs: HOUR, now: T0 })),
    );
    expect([...totals].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await moderation().getViolationScore('user:x', 'logins', T0)).toBe(10);
  });

  it('clears violations of one type or of every type', async () => {
    for (const type of ['logins', 'register', 'reset']) {
      await moderation().addViolation({ subject: 'user:y', type, score: 1, ttlMs: HOUR, now: T0 });
    }
    await moderation().addViolation({ subject: 'user:z', type: 'logins', score: 1, ttlMs: HOUR, now: T0 });
    expect(await moderation().clearViolations('user:y', 'logins')).toBe(1);
    expect(await moderation().getViolationScore('user:y', 'logins', T0)).toBe(0);
    expect(await moderation().getViolationScore('user:y', 'register', T0)).toBe(1);
    expect(await moderation().clearViolations('user:y')).toBe(2);
    expect(await moderation().getViolationScore('user:y', 'reset', T0)).toBe(0);
    expect(await moderation().getViolationScore('user:z', 'logins', T0)).toBe(1);
  });

  it('finds the first active ban in the order of the subjects', async () => {
    await moderation().putBan(ban('ip:203.0.113.9', at(HOUR), { userId: 'ffffffffffffffffffffffff', reason: 'too many' }));
    await moderation().putBan(ban('user:u1', at(HOUR), { type: 'manual' }));
    await moderation().putBan(ban('user:old', at(-1)));
    expect((await moderation().findActiveBan(['user:u1', 'ip:203.0.113.9'], T0))?.subject).toBe('user:u1');
    const ipBan = await moderation().findActiveBan(['ip:203.0.113.9', 'user:u1'], T0);
    expect(ipBan).toMatchObject({ subject: 'ip:203.0.113.9', type: 'logins', reason: 'too many', violationCount: 3, userId: 'ffffffffffffffffffffffff' });
    expect(ipBan?.createdAt.getTime()).toBe(T0.getTime());
    expect(ipBan?.expiresAt.getTime()).toBe(at(HOUR).getTime());
    expect(await moderation().findActiveBan(['user:old', 'user:nobody'], T0)).toBeNull();
    expect(await moderation().findActiveBan(['user:u1'], at(HOUR))).toBeNull();
    expect(await moderation().findActiveBan([], T0)).toBeNull();
  });

  it('replaces, lists and lifts bans', async () => {
    await moderation().putBan(ban('user:a', at(HOUR)));
    await moderation().putBan(ban('user:b', at(2 * HOUR)));
    await moderation().putBan(ban('user:c', at(-1)));
    await moderation().putBan(ban('user:a', at(3 * HOUR), { type: 'manual', reason: 'admin', violationCount: 0 }));
    const active = await moderation().listActiveBans(T0);
    expect(active.map((b) => b.subject).sort()).toEqual(['user:a', 'user:b']);
    expect(active.find((b) => b.subject === 'user:a')).toMatchObject({ type: 'manual', reason: 'admin', violationCount: 0 });
    expect(await moderation().liftBan('user:a')).toBe(true);
    expect(await moderation().liftBan('user:a')).toBe(false);
    expect(await moderation().findActiveBan(['user:a'], T0)).toBeNull();
    expect((await moderation().listActiveBans(T0)).map((b) => b.subject)).toEqual(['user:b']);
  });

  it('deleteExpired removes expired violations and bans', async () => {
    await moderation().addViolation({ subject: 'user:v', type: 'logins', score: 1, ttlMs: 1000, now: at(-2000) });
    await moderation().addViolation({ subject: 'user:w', type: 'logins', score: 1, ttlMs: HOUR, now: T0 });
    await moderation().putBan(ban('user:gone', at(-1)));
    await moderation().putBan(ban('user:kept', at(HOUR)));
    expect(await moderation().deleteExpired(T0)).toBe(2);
    expect(await moderation().deleteExpired(T0)).toBe(0);
    expect(await moderation().getViolationScore('user:w', 'logins', T0)).toBe(1);
    expect((await moderation().listActiveBans(T0)).map((b) => b.subject)).toEqual(['user:kept']);
    // What was swept is gone for good, even looked at from the past.
    expect(await moderation().getViolationScore('user:v', 'logins', at(-1500))).toBe(0);
  });
}
