import type { NewPasskey } from '../../../src/storage';
import { StoreContext, T0, at, race } from './context';

export function passkeyCases(ctx: StoreContext): void {
  const store = () => ctx.ports().passkeys;
  const newUser = async () => (await ctx.ports().users.create({ email: `pk-${Math.random().toString(36).slice(2)}@example.com` })).id;
  const passkey = (userId: string, credentialId: string, over: Partial<NewPasskey> = {}): NewPasskey => ({
    userId,
    credentialId,
    publicKey: 'pAEC',
    counter: 0,
    transports: ['internal', 'hybrid'],
    name: 'Laptop',
    userHandle: 'h-1',
    backedUp: true,
    createdAt: T0,
    ...over,
  });

  it('PK-06 stores a passkey, finds it by credential id, and refuses the same credential id for another user', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const stored = await store().add(passkey(alice, 'cred-a'));
    expect(stored).toMatchObject({
      userId: alice,
      credentialId: 'cred-a',
      publicKey: 'pAEC',
      counter: 0,
      transports: ['internal', 'hybrid'],
      name: 'Laptop',
      userHandle: 'h-1',
      backedUp: true,
      flaggedAt: null,
      lastUsedAt: null,
    });
    expect(stored?.createdAt).toEqual(T0);
    expect(await store().findByCredentialId('cred-a')).toEqual(stored);
    expect(await store().add(passkey(bob, 'cred-a'))).toBeNull();
    expect(await store().add(passkey(alice, 'cred-a'))).toBeNull();
    expect(await store().listByUser(bob)).toEqual([]);
    expect(await store().findByCredentialId('nope')).toBeNull();
  });

  it("lists a user's passkeys oldest first, renames and removes only the owner's", async () => {
    const alice = await newUser();
    const bob = await newUser();
    const second = await store().add(passkey(alice, 'c2', { createdAt: at(1000), name: 'Phone' }));
    const first = await store().add(passkey(alice, 'c1'));
    expect((await store().listByUser(alice)).map((p) => p.credentialId)).toEqual(['c1', 'c2']);
    expect(await store().rename(bob, first!.id, 'stolen')).toBeNull();
    expect(await store().rename(alice, first!.id, 'Work laptop')).toMatchObject({ id: first!.id, name: 'Work laptop' });
    expect(await store().remove(bob, second!.id)).toBe(false);
    expect(await store().remove(alice, second!.id)).toBe(true);
    expect(await store().remove(alice, second!.id)).toBe(false);
    expect((await store().listByUser(alice)).map((p) => p.name)).toEqual(['Work laptop']);
    await store().add(passkey(bob, 'c-bob'));
    expect(await store().removeAllOf(alice)).toBe(1);
    expect(await store().listByUser(alice)).toEqual([]);
    expect(await store().findByCredentialId('c-bob')).not.toBeNull();
  });

  it('PK-05 moves the counter by compare-and-swap: exactly one of two parallel uses with the same counter wins', async () => {
    const alice = await newUser();
    await store().add(passkey(alice, 'c-race', { counter: 3 }));
    const { ok, errors } = await race(2, () => store().recordUse('c-race', 3, 4, at(5000)));
    expect(errors).toEqual([]);
    expect(ok.filter(Boolean)).toHaveLength(1);
    expect(await store().findByCredentialId('c-race')).toMatchObject({ counter: 4, lastUsedAt: at(5000) });
    expect(await store().recordUse('c-race', 3, 5, at(6000))).toBe(false);
  });

  it('PK-04 a flagged credential keeps its first flag time and no longer records uses', async () => {
    const alice = await newUser();
    await store().add(passkey(alice, 'c-clone', { counter: 7 }));
    await store().flag('c-clone', at(1000));
    await store().flag('c-clone', at(2000));
    expect(await store().findByCredentialId('c-clone')).toMatchObject({ flaggedAt: at(1000), counter: 7 });
    expect(await store().recordUse('c-clone', 7, 8, at(3000))).toBe(false);
  });
}
