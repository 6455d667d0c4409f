import type { BackupCodeRecord } from '../../../src/storage';
import { StoreContext, T0, race } from './context';

const codes = (...hashes: string[]): BackupCodeRecord[] => hashes.map((codeHash) => ({ codeHash, used: false, usedAt: null }));

export function twoFactorCases(ctx: StoreContext): void {
  const store = () => ctx.ports().twoFactor;
  const newUser = async () => (await ctx.ports().users.create({ email: `tf-${Math.random().toString(36).slice(2)}@example.com` })).id;

  it('reads a user without a second factor as disabled and an unknown user as null', async () => {
    const id = await newUser();
    expect(await store().find(id)).toEqual({
      enabled: false,
      totpSecret: null,
      backupCodes: [],
      pendingTotpSecret: null,
      pendingBackupCodes: [],
      lastTotpStep: null,
    });
    expect(await store().find('ffffffffffffffffffffffff')).toBeNull();
    expect(await store().savePending('ffffffffffffffffffffffff', 'v3:x', [])).toBe(false);
  });

  it('keeps a pending enrolment apart until it is activated, and activates only the expected one', async () => {
    const id = await newUser();
    expect(await store().savePending(id, 'v3:pending-1', codes('h1', 'h2'))).toBe(true);
    expect(await store().find(id)).toMatchObject({
      enabled: false,
      totpSecret: null,
      backupCodes: [],
      pendingTotpSecret: 'v3:pending-1',
      pendingBackupCodes: codes('h1', 'h2'),
    });
    expect((await ctx.ports().users.findById(id))?.twoFactorEnabled).toBe(false);
    // A re-enrolment replaced the pending secret: confirming the old one must not activate anything.
    await store().savePending(id, 'v3:pending-2', codes('h3'));
    expect(await store().activatePending(id, 'v3:pending-1', 100)).toBe(false);
    expect(await store().activatePending(id, 'v3:pending-2', 100)).toBe(true);
    expect(await store().find(id)).toEqual({
      enabled: true,
      totpSecret: 'v3:pending-2',
      backupCodes: codes('h3'),
      pendingTotpSecret: null,
      pendingBackupCodes: [],
      lastTotpStep: 100,
    });
    expect((await ctx.ports().users.findById(id))?.twoFactorEnabled).toBe(true);
    expect(await store().activatePending(id, 'v3:pending-2', 101)).toBe(false);
  });

  it('lets exactly one of two parallel uses spend a backup code, and records when', async () => {
    const id = await newUser();
    await store().savePending(id, 'v3:s', codes('a', 'b'));
    await store().activatePending(id, 'v3:s', 1);
    const { ok, errors } = await race(2, () => store().spendBackupCode(id, 'a', T0));
    expect(errors).toEqual([]);
    expect(ok.filter(Boolean)).toHaveLength(1);
    expect(await store().spendBackupCode(id, 'a', T0)).toBe(false);
    expect(await store().spendBackupCode(id, 'unknown', T0)).toBe(false);
    const state = await store().find(id);
    expect(state?.backupCodes).toEqual([
      { codeHash: 'a', used: true, usedAt: T0 },
      { codeHash: 'b', used: false, usedAt: null },
    ]);
  });

  it('does not spend pending backup codes', async () => {
    const id = await newUser();
    await store().savePending(id, 'v3:s', codes('p'));
    expect(await store().spendBackupCode(id, 'p', T0)).toBe(false);
  });

  it('accepts each TOTP step once and never an older one, also in parallel', async () => {
    const id = await newUser();
    expect(await store().claimTotpStep(id, 10)).toBe(true);
    expect(await store().claimTotpStep(id, 10)).toBe(false);
    expect(await store().claimTotpStep(id, 9)).toBe(false);
    const { ok } = await race(3, () => store().claimTotpStep(id, 11));
    expect(ok.filter(Boolean)).toHaveLength(1);
    expect((await store().find(id))?.lastTotpStep).toBe(11);
  });

  it('replaces backup codes and clears everything on disable', async () => {
    const id = await newUser();
    await store().savePending(id, 'v3:s', codes('a'));
    await store().activatePending(id, 'v3:s', 5);
    expect(await store().replaceBackupCodes(id, codes('n1', 'n2'))).toBe(true);
    expect((await store().find(id))?.backupCodes).toEqual(codes('n1', 'n2'));
    await store().savePending(id, 'v3:t', codes('x'));
    expect(await store().clear(id)).toBe(true);
    expect(await store().find(id)).toEqual({
      enabled: false,
      totpSecret: null,
      backupCodes: [],
      pendingTotpSecret: null,
      pendingBackupCodes: [],
      lastTotpStep: null,
    });
    expect((await ctx.ports().users.findById(id))?.twoFactorEnabled).toBe(false);
    // After a reset the step history starts again.
    expect(await store().claimTotpStep(id, 1)).toBe(true);
  });

  it('keeps the second factor when other user fields change, and drops it with the account', async () => {
    const id = await newUser();
    await store().savePending(id, 'v3:s', codes('a'));
    await store().activatePending(id, 'v3:s', 5);
    await ctx.ports().users.update(id, { name: 'Renamed' });
    expect(await store().find(id)).toMatchObject({ enabled: true, totpSecret: 'v3:s' });
    await ctx.ports().users.delete(id);
    expect(await store().find(id)).toBeNull();
  });
}
