import { StoreContext, MINUTE, T0, at } from './context';

export function outboxCases(ctx: StoreContext): void {
  const outbox = () => ctx.ports().outbox;
  const LEASE = MINUTE;

  it('enqueues pending messages available now unless told otherwise', async () => {
    const m = await outbox().enqueue({ kind: 'mail', payload: '{"to":"a@example.com"}' }, T0);
    expect(m).toMatchObject({ kind: 'mail', payload: '{"to":"a@example.com"}', status: 'pending', attempts: 0, lastError: null });
    expect(m.availableAt.getTime()).toBe(T0.getTime());
    expect(m.createdAt.getTime()).toBe(T0.getTime());
    expect(m.updatedAt.getTime()).toBe(T0.getTime());
    expect(await outbox().findById(m.id)).toEqual(m);
    const later = await outbox().enqueue({ kind: 'mail', payload: '{}', availableAt: at(MINUTE) }, T0);
    expect(later.availableAt.getTime()).toBe(at(MINUTE).getTime());
    expect(await outbox().findById('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('claims due messages oldest first, up to the limit, under a lease', async () => {
    const second = await outbox().enqueue({ kind: 'mail', payload: '2', availableAt: at(-1000) }, at(-5000));
    const first = await outbox().enqueue({ kind: 'mail', payload: '1', availableAt: at(-2000) }, at(-5000));
    const third = await outbox().enqueue({ kind: 'mail', payload: '3', availableAt: T0 }, at(-5000));
    const future = await outbox().enqueue({ kind: 'mail', payload: 'f', availableAt: at(1) }, at(-5000));

    const claimed = await outbox().claimDue(T0, 2, LEASE);
    expect(claimed.map((m) => m.id)).toEqual([first.id, second.id]);
    for (const m of claimed) {
      expect(m.attempts).toBe(1);
      expect(m.status).toBe('pending');
      expect(m.availableAt.getTime()).toBe(at(LEASE).getTime());
    }
    expect((await outbox().findById(first.id))?.attempts).toBe(1);
    expect((await outbox().claimDue(T0, 10, LEASE)).map((m) => m.id)).toEqual([third.id]);
    expect(await outbox().claimDue(T0, 10, LEASE)).toEqual([]);
    expect((await outbox().findById(future.id))?.attempts).toBe(0);
  });

  it('does not hand a claimed message out again before its lease ends', async () => {
    const m = await outbox().enqueue({ kind: 'mail', payload: 'x' }, T0);
    expect(await outbox().claimDue(T0, 10, LEASE)).toHaveLength(1);
    expect(await outbox().claimDue(at(LEASE - 1), 10, LEASE)).toEqual([]);
    const again = await outbox().claimDue(at(LEASE), 10, LEASE);
    expect(again.map((c) => c.id)).toEqual([m.id]);
    expect(again[0].attempts).toBe(2);
    expect(again[0].availableAt.getTime()).toBe(at(2 * LEASE).getTime());
  });

  it('gives each message to one of several parallel claimers', async () => {
    for (let i = 0; i < 6; i++) await outbox().enqueue({ kind: 'mail', payload: String(i) }, T0);
    const batches = await Promise.all([1, 2, 3].map(() => outbox().claimDue(T0, 4, LEASE)));
    const ids = batches.flat().map((m) => m.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it('marks messages sent, retried or dead, and counts them by status', async () => {
    expect(await outbox().countByStatus()).toEqual({ pending: 0, sent: 0, dead: 0 });
    expect(await outbox().oldestPendingAt()).toBeNull();
    const sent = await outbox().enqueue({ kind: 'mail', payload: 's' }, T0);
    const retried = await outbox().enqueue({ kind: 'mail', payload: 'r', availableAt: T0 }, at(1));
    const dead = await outbox().enqueue({ kind: 'mail', payload: 'd' }, T0);
    await outbox().claimDue(T0, 10, LEASE);

    await outbox().markSent(sent.id, at(1));
    await outbox().markFailed(retried.id, 'smtp 451', at(10 * MINUTE), at(2));
    await outbox().markFailed(dead.id, 'smtp 550', null, at(3));

    expect(await outbox().findById(sent.id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect((await outbox().findById(sent.id))?.updatedAt.getTime()).toBe(at(1).getTime());
    const r = await outbox().findById(retried.id);
    expect(r).toMatchObject({ status: 'pending', lastError: 'smtp 451', attempts: 1 });
    expect(r?.availableAt.getTime()).toBe(at(10 * MINUTE).getTime());
    expect(await outbox().findById(dead.id)).toMatchObject({ status: 'dead', lastError: 'smtp 550' });
    expect(await outbox().countByStatus()).toEqual({ pending: 1, sent: 1, dead: 1 });
    // The backlog's age counts from the oldest message still pending, not from sent or dead ones.
    expect((await outbox().oldestPendingAt())?.getTime()).toBe(at(1).getTime());

    // Sent and dead messages are never claimed; the retried one only once its time has come.
    expect(await outbox().claimDue(at(10 * MINUTE - 1), 10, LEASE)).toEqual([]);
    const retry = await outbox().claimDue(at(10 * MINUTE), 10, LEASE);
    expect(retry.map((m) => m.id)).toEqual([retried.id]);
    expect(retry[0].attempts).toBe(2);
    expect(await outbox().claimDue(at(1000 * MINUTE), 10, LEASE)).toHaveLength(1);
  });

  it('RL-13 renews a lease only for its owner, while the message is pending', async () => {
    const m = await outbox().enqueue({ kind: 'mail', payload: 'x' }, T0);
    expect(await outbox().claimDue(T0, 10, LEASE, 'owner-a')).toHaveLength(1);
    expect(await outbox().renewLease(m.id, 'owner-b', at(LEASE / 2), LEASE)).toBe(false);
    expect(await outbox().renewLease(m.id, 'owner-a', at(LEASE / 2), LEASE)).toBe(true);
    // The renewed lease runs from the renewal, so the message is not due at the first lease's end.
    expect(await outbox().claimDue(at(LEASE), 10, LEASE, 'owner-b')).toEqual([]);
    const taken = await outbox().claimDue(at(LEASE / 2 + LEASE), 10, LEASE, 'owner-b');
    expect(taken.map((c) => c.id)).toEqual([m.id]);
    // The first owner lost it: its renewal no longer applies.
    expect(await outbox().renewLease(m.id, 'owner-a', at(2 * LEASE), LEASE)).toBe(false);
    await outbox().markSent(m.id, at(2 * LEASE));
    expect(await outbox().renewLease(m.id, 'owner-b', at(2 * LEASE), LEASE)).toBe(false);
  });

  it('RL-12 a unit of work commits a state change and its outbox row together, or neither', async () => {
    const uow = ctx.ports().unitOfWork;
    const effects: string[] = [];
    const committed = await uow.run(async () => {
      const user = await ctx.ports().users.create({ email: 'both@example.com' });
      await outbox().enqueue({ kind: 'mail', payload: 'welcome' }, T0);
      uow.afterCommit(() => effects.push('after commit'));
      expect(effects).toEqual([]);
      return user;
    });
    expect(effects).toEqual(['after commit']);
    expect(await ctx.ports().users.findById(committed.id)).not.toBeNull();

    const failure = uow.run(async () => {
      await ctx.ports().users.create({ email: 'neither@example.com' });
      await uow.run(() => outbox().enqueue({ kind: 'mail', payload: 'never' }, T0));
      uow.afterCommit(() => effects.push('must not run'));
      throw new Error('fault after both writes');
    });
    await expect(failure).rejects.toThrow('fault after both writes');
    const supportsRollback = ctx.options().kind === 'sqlite';
    if (supportsRollback) {
      expect(await ctx.ports().users.findByEmail('neither@example.com')).toBeNull();
      expect(await outbox().countByStatus()).toEqual({ pending: 1, sent: 0, dead: 0 });
    }
    expect(effects).toEqual(['after commit']);
  });
}
