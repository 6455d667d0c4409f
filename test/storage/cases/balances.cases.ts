import type { BalanceSync } from '../../../src/storage';
import { StoreContext, T0, at, HOUR, race } from './context';

const plain: BalanceSync = { startBalance: 1000, autoRefill: null };
const refilling: BalanceSync = { startBalance: 1000, autoRefill: { intervalValue: 7, intervalUnit: 'hours', amount: 250 } };

export function balanceCases(ctx: StoreContext): void {
  const store = () => ctx.ports().balances;
  const newUser = async () => (await ctx.ports().users.create({ email: `ba-${Math.random().toString(36).slice(2)}@example.com` })).id;

  it("creates a missing record with the start balance and LibreChat's defaults", async () => {
    const id = await newUser();
    expect(await store().find(id)).toBeNull();
    const created = await store().syncOnSignIn(id, plain, T0);
    const expected = {
      userId: id,
      tokenCredits: 1000,
      autoRefillEnabled: false,
      refillIntervalValue: 30,
      refillIntervalUnit: 'days',
      lastRefill: T0,
      refillAmount: 0,
    };
    expect(created).toEqual(expected);
    expect(await store().find(id)).toEqual(expected);
  });

  it('BA-02 never replaces credits that exist, even when the start balance changed', async () => {
    const id = await newUser();
    await store().syncOnSignIn(id, plain, T0);
    const again = await store().syncOnSignIn(id, { startBalance: 5, autoRefill: null }, at(HOUR));
    expect(again.tokenCredits).toBe(1000);
    expect(again.lastRefill).toEqual(T0);
  });

  it('keeps the refill settings in step with the configuration and sets lastRefill only when missing', async () => {
    const id = await newUser();
    await store().syncOnSignIn(id, plain, T0);
    const first = await store().syncOnSignIn(id, refilling, at(HOUR));
    expect(first).toMatchObject({
      tokenCredits: 1000,
      autoRefillEnabled: true,
      refillIntervalValue: 7,
      refillIntervalUnit: 'hours',
      refillAmount: 250,
      lastRefill: T0,
    });
    const changed = await store().syncOnSignIn(id, { startBalance: 1000, autoRefill: { intervalValue: 1, intervalUnit: 'months', amount: 9 } }, at(2 * HOUR));
    expect(changed).toMatchObject({ autoRefillEnabled: true, refillIntervalValue: 1, refillIntervalUnit: 'months', refillAmount: 9, lastRefill: T0 });
    // Auto-refill switched off in the configuration: LibreChat leaves the record's settings alone.
    expect(await store().syncOnSignIn(id, plain, at(3 * HOUR))).toMatchObject({ autoRefillEnabled: true, refillAmount: 9 });
    const fresh = await newUser();
    expect(await store().syncOnSignIn(fresh, refilling, T0)).toEqual({
      userId: fresh,
      tokenCredits: 1000,
      autoRefillEnabled: true,
      refillIntervalValue: 7,
      refillIntervalUnit: 'hours',
      lastRefill: T0,
      refillAmount: 250,
    });
  });

  it('BA-01 leaves exactly one record with the start balance after parallel sign-ins of one user', async () => {
    const id = await newUser();
    const { ok, errors } = await race(8, (i) => store().syncOnSignIn(id, i % 2 ? refilling : plain, at(i)));
    expect(errors).toEqual([]);
    // Set, never added: eight sign-ins do not give eight start balances.
    for (const record of ok) expect(record.tokenCredits).toBe(1000);
    expect(await store().find(id)).toMatchObject({ userId: id, tokenCredits: 1000, autoRefillEnabled: true });
    const other = await newUser();
    await store().syncOnSignIn(other, { startBalance: 3, autoRefill: null }, T0);
    expect((await store().find(other))?.tokenCredits).toBe(3);
    expect((await store().find(id))?.tokenCredits).toBe(1000);
  });

  it("deletes a user's record and only theirs", async () => {
    const gone = await newUser();
    const kept = await newUser();
    await store().syncOnSignIn(gone, plain, T0);
    await store().syncOnSignIn(kept, plain, T0);
    expect(await store().deleteFor(gone)).toBe(1);
    expect(await store().deleteFor(gone)).toBe(0);
    expect(await store().find(gone)).toBeNull();
    expect((await store().find(kept))?.tokenCredits).toBe(1000);
  });
}
