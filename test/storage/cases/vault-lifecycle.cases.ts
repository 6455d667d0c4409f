import { IdpTokenSet } from '../../../src/storage';
import { StoreContext, HOUR, T0, at } from './context';

const TOKENS: IdpTokenSet = {
  accessToken: 'access-plain-0123456789',
  idToken: 'id-plain-0123456789',
  refreshToken: 'refresh-plain-0123456789',
  expiresAt: new Date('2031-03-04T06:06:07.000Z'),
  scope: 'openid email',
};

export function vaultAndLifecycleCases(ctx: StoreContext): void {
  const USER = '111111111111111111111111';
  const OTHER = '222222222222222222222222';

  it('round-trips IdP tokens per (user, provider) and replaces them on save', async () => {
    const { vault } = ctx.ports();
    await vault.save(USER, 'openid', TOKENS, T0);
    expect(await vault.load(USER, 'openid')).toEqual(TOKENS);
    expect(await vault.load(OTHER, 'openid')).toBeNull();
    expect(await vault.load(USER, 'google')).toBeNull();
    const renewed: IdpTokenSet = { accessToken: 'access-2', idToken: null, refreshToken: null, expiresAt: null, scope: null };
    await vault.save(USER, 'openid', renewed, at(1000));
    expect(await vault.load(USER, 'openid')).toEqual(renewed);
  });

  it('round-trips the optional identity and rotation fields of an OpenID login, keyed per login', async () => {
    const { vault } = ctx.ports();
    const withIdentity: IdpTokenSet = {
      ...TOKENS,
      subject: 'sub-1',
      issuer: 'https://idp.example.test/',
      refreshedAt: '2031-03-04T05:06:07.000Z',
      previousRefreshToken: 'refresh-old',
    };
    await vault.save(USER, 'openid:login-a', withIdentity, T0);
    await vault.save(USER, 'openid:login-b', TOKENS, T0);
    expect(await vault.load(USER, 'openid:login-a')).toEqual(withIdentity);
    expect(await vault.load(USER, 'openid:login-b')).toEqual(TOKENS);
    expect(await vault.delete(USER, 'openid:login-a')).toBe(1);
    expect(await vault.load(USER, 'openid:login-b')).toEqual(TOKENS);
  });

  it('deletes one provider or every provider of a user', async () => {
    const { vault } = ctx.ports();
    await vault.save(USER, 'openid', TOKENS, T0);
    await vault.save(USER, 'google', TOKENS, T0);
    await vault.save(USER, 'github', TOKENS, T0);
    await vault.save(OTHER, 'openid', TOKENS, T0);
    expect(await vault.delete(USER, 'google')).toBe(1);
    expect(await vault.delete(USER, 'google')).toBe(0);
    expect(await vault.load(USER, 'google')).toBeNull();
    expect(await vault.delete(USER)).toBe(2);
    expect(await vault.load(USER, 'openid')).toBeNull();
    expect(await vault.load(OTHER, 'openid')).toEqual(TOKENS);
  });

  it('answers ping while open and rejects after close; close is idempotent', async () => {
    const { lifecycle } = ctx.ports();
    expect(typeof lifecycle.kind).toBe('string');
    await expect(lifecycle.ping()).resolves.toBeUndefined();
    await lifecycle.close();
    await lifecycle.close();
    await expect(lifecycle.ping()).rejects.toBeDefined();
    // Nest's shutdown hooks must not fail on an already closed store.
    await ctx.moduleRef().close();
  });

  it('keeps its data across a restart', async () => {
    const before = ctx.ports();
    const user = await before.users.create({ email: 'persist@example.com', googleId: 'g-persist' });
    const session = await before.sessions.create({ userId: user.id, tokenHash: 'persist-hash', expiresAt: at(HOUR), createdAt: T0 });
    await before.tokens.create({ type: 'reset', tokenHash: 'persist-token', expiresAt: at(HOUR), userId: user.id });
    await before.kv.set('persist-key', 'persist-value', HOUR, T0);
    await before.kv.increment('persist-counter', 3, HOUR, T0);
    await before.moderation.putBan({
      subject: `user:${user.id}`,
      type: 'manual',
      reason: null,
      violationCount: 0,
      createdAt: T0,
      expiresAt: at(HOUR),
      userId: user.id,
    });
    const mail = await before.outbox.enqueue({ kind: 'mail', payload: '{}' }, T0);
    await before.vault.save(user.id, 'google', TOKENS, T0);

    const after = await ctx.restart();
    expect(after.users).not.toBe(before.users);
    expect(await after.users.findByEmail('PERSIST@example.com')).toEqual(user);
    expect((await after.users.findByProviderId('googleId', 'g-persist'))?.id).toBe(user.id);
    expect(await after.sessions.findByTokenHash('persist-hash', T0)).toEqual({ session, matched: 'current' });
    expect(await after.tokens.consumeOne({ tokenHash: 'persist-token' }, T0)).toMatchObject({ userId: user.id, type: 'reset' });
    expect(await after.kv.get('persist-key', T0)).toBe('persist-value');
    expect(await after.kv.increment('persist-counter', 1, HOUR, at(1))).toEqual({ value: 4, expiresAt: at(HOUR) });
    expect((await after.moderation.findActiveBan([`user:${user.id}`], T0))?.type).toBe('manual');
    expect(await after.outbox.findById(mail.id)).toEqual(mail);
    expect(await after.vault.load(user.id, 'google')).toEqual(TOKENS);
  });
}
