import { DuplicateUserError, UserRecord } from '../../../src/storage';
import { StoreContext, T0, at, race } from './context';

async function expectDuplicate(promise: Promise<unknown>, field: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DuplicateUserError);
  expect((err as DuplicateUserError).field).toBe(field);
}

export function userCases(ctx: StoreContext): void {
  const users = () => ctx.ports().users;

  it('creates a user with defaults, a canonical email and an ObjectId-shaped id', async () => {
    const created = await users().create({ email: '  Alice@Example.COM ', name: 'Alice' });
    expect(created).toMatchObject({
      email: 'alice@example.com',
      name: 'Alice',
      username: null,
      password: null,
      emailVerified: false,
      avatar: null,
      provider: 'local',
      role: 'USER',
      googleId: null,
      openidId: null,
      openidIssuer: null,
      idOnTheSource: null,
      twoFactorEnabled: false,
      termsAccepted: false,
      disabled: false,
      expiresAt: null,
    });
    expect(created.id).toMatch(/^[0-9a-f]{24}$/);
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.updatedAt).toBeInstanceOf(Date);
    expect(await users().findById(created.id)).toEqual(created);
    expect(await users().findById('0123456789abcdef01234567')).toBeNull();
    expect(await users().count()).toBe(1);
  });

  it('finds users by email regardless of case and surrounding whitespace', async () => {
    const created = await users().create({ email: 'Bob@Example.com' });
    for (const probe of ['bob@example.com', 'BOB@EXAMPLE.COM', '  bob@example.com\t', 'Bob@Example.com']) {
      expect((await users().findByEmail(probe))?.id).toBe(created.id);
    }
    expect(await users().findByEmail('bob@example.org')).toBeNull();
  });

  it('updates fields and returns the new record; unknown ids give null', async () => {
    const created = await users().create({ email: 'carol@example.com', password: 'hash-1' });
    const expiresAt = at(3_600_000);
    const updated = await users().update(created.id, {
      name: 'Carol',
      emailVerified: true,
      twoFactorEnabled: true,
      password: null,
      expiresAt,
      email: ' Carol.New@Example.com ',
    });
    expect(updated).toMatchObject({
      id: created.id,
      name: 'Carol',
      emailVerified: true,
      twoFactorEnabled: true,
      password: null,
      email: 'carol.new@example.com',
      role: 'USER',
    });
    expect(updated?.expiresAt?.getTime()).toBe(expiresAt.getTime());
    expect(updated?.createdAt.getTime()).toBe(created.createdAt.getTime());
    expect(updated!.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    expect(await users().findById(created.id)).toEqual(updated);
    expect((await users().findByEmail('CAROL.NEW@example.com'))?.id).toBe(created.id);
    expect(await users().findByEmail('carol@example.com')).toBeNull();
    expect(await users().update('ffffffffffffffffffffffff', { name: 'nobody' })).toBeNull();
  });

  it('disables and enables an account; the flag survives a reload', async () => {
    const created = await users().create({ email: 'dora@example.com' });
    expect((await users().update(created.id, { disabled: true }))?.disabled).toBe(true);
    expect((await users().findById(created.id))?.disabled).toBe(true);
    expect((await users().findByEmail('dora@example.com'))?.disabled).toBe(true);
    expect((await users().update(created.id, { disabled: false }))?.disabled).toBe(false);
    expect((await users().findById(created.id))?.disabled).toBe(false);
    // A null patch is "not given" for a required flag, in both adapters.
    expect((await users().update(created.id, { disabled: null as unknown as boolean }))?.disabled).toBe(false);
  });

  it('AD-03 searches users by a case-insensitive substring of email, name or username, a page at a time', async () => {
    for (let i = 0; i < 5; i += 1) {
      await users().create({ email: `member${i}@example.com`, name: i === 3 ? 'Zoë Ärger' : `Member ${i}`, username: i === 4 ? 'Special_One' : null });
    }
    await users().create({ email: 'outsider@example.org', name: 'Outsider' });
    // Pages of two cover every match exactly once, in a stable order (creation time, then id:
    // accounts created in the same millisecond are ordered by id, so the test does not assume
    // creation order within a page).
    const all = (await users().search({ text: 'example.com', limit: 100 })).users.map((u) => u.email);
    expect([...all].sort()).toEqual(['member0@example.com', 'member1@example.com', 'member2@example.com', 'member3@example.com', 'member4@example.com']);
    const first = await users().search({ text: 'EXAMPLE.COM', limit: 2 });
    expect(first.next).toEqual(expect.any(String));
    const second = await users().search({ text: 'example.com', limit: 2, after: first.next });
    const third = await users().search({ text: 'example.com', limit: 2, after: second.next });
    expect([first, second, third].map((p) => p.users.length)).toEqual([2, 2, 1]);
    expect([...first.users, ...second.users, ...third.users].map((u) => u.email)).toEqual(all);
    expect(third.next).toBeNull();
    expect((await users().search({ text: 'zoë', limit: 10 })).users.map((u) => u.email)).toEqual(['member3@example.com']);
    expect((await users().search({ text: 'special_', limit: 10 })).users.map((u) => u.email)).toEqual(['member4@example.com']);
    // Pattern characters are literal: '%' and '_' match only themselves, '.*' is not a regex.
    expect((await users().search({ text: '%', limit: 10 })).users).toEqual([]);
    expect((await users().search({ text: 'r_e', limit: 10 })).users).toEqual([]);
    expect((await users().search({ text: '.*', limit: 10 })).users).toEqual([]);
    const everyone = await users().search({ limit: 100 });
    expect(everyone.users).toHaveLength(6);
    expect(everyone.next).toBeNull();
  });

  it('deletes users', async () => {
    const a = await users().create({ email: 'dave@example.com' });
    const b = await users().create({ email: 'erin@example.com' });
    expect(await users().delete(a.id)).toBe(true);
    expect(await users().delete(a.id)).toBe(false);
    expect(await users().findById(a.id)).toBeNull();
    expect(await users().findByEmail('dave@example.com')).toBeNull();
    expect(await users().findById(b.id)).not.toBeNull();
    expect(await users().count()).toBe(1);
  });

  it('rejects a duplicate email in another case, on create and on update', async () => {
    await users().create({ email: 'frank@example.com' });
    await expectDuplicate(users().create({ email: ' FRANK@example.COM' }), 'email');
    const other = await users().create({ email: 'grace@example.com' });
    await expectDuplicate(users().update(other.id, { email: 'Frank@Example.com' }), 'email');
    expect((await users().findById(other.id))?.email).toBe('grace@example.com');
    expect(await users().count()).toBe(2);
  });

  it('lets exactly one of 10 parallel registrations of the same email succeed', async () => {
    const { ok, errors } = await race(10, (i) => users().create({ email: i % 2 ? 'heidi@example.com' : 'HEIDI@example.com ' }));
    expect(ok).toHaveLength(1);
    expect(errors).toHaveLength(9);
    for (const e of errors) expect(e).toBeInstanceOf(DuplicateUserError);
    expect(await users().count()).toBe(1);
  });

  it('gives the first-user role to exactly one of 10 parallel first registrations', async () => {
    const { ok, errors } = await race(10, (i) => users().create({ email: `first${i}@example.com` }, { firstUserRole: 'ADMIN' }));
    expect(errors).toEqual([]);
    expect(ok.filter((u) => u.role === 'ADMIN')).toHaveLength(1);
    expect(ok.filter((u) => u.role === 'USER')).toHaveLength(9);
    const later = await users().create({ email: 'later@example.com', role: 'MODERATOR' }, { firstUserRole: 'ADMIN' });
    expect(later.role).toBe('MODERATOR');
  });

  it('PW-12 gives the first-user role only on a store that has never held an account', async () => {
    const admin = await users().create({ email: 'admin@example.com' }, { firstUserRole: 'ADMIN' });
    expect(admin.role).toBe('ADMIN');
    expect(await users().delete(admin.id)).toBe(true);
    expect(await users().count()).toBe(0);
    expect((await users().create({ email: 'stranger@example.com' }, { firstUserRole: 'ADMIN' })).role).toBe('USER');
  });

  it('PW-12 an account created without firstUserRole (a provider sign-in) also marks the store as used', async () => {
    const social = await users().create({ email: 'social@example.com', provider: 'google', googleId: 'g-9' });
    await users().delete(social.id);
    expect((await users().create({ email: 'next@example.com' }, { firstUserRole: 'ADMIN' })).role).toBe('USER');
  });

  it('uses input.role for the first user when no firstUserRole is given', async () => {
    expect((await users().create({ email: 'solo@example.com' })).role).toBe('USER');
    expect((await users().create({ email: 'two@example.com', role: 'ADMIN' })).role).toBe('ADMIN');
  });

  it('finds users by provider id and keeps provider ids unique', async () => {
    const g = await users().create({ email: 'g@example.com', provider: 'google', googleId: 'g-1' });
    const gh = await users().create({ email: 'gh@example.com', provider: 'github', githubId: 'gh-1' });
    // Many users without a provider id must not collide with each other.
    await users().create({ email: 'plain1@example.com' });
    await users().create({ email: 'plain2@example.com' });
    expect((await users().findByProviderId('googleId', 'g-1'))?.id).toBe(g.id);
    expect((await users().findByProviderId('githubId', 'gh-1'))?.id).toBe(gh.id);
    expect(await users().findByProviderId('googleId', 'gh-1')).toBeNull();
    expect(await users().findByProviderId('discordId', 'g-1')).toBeNull();
    await expectDuplicate(users().create({ email: 'g2@example.com', googleId: 'g-1' }), 'googleId');
    await expectDuplicate(users().update(gh.id, { googleId: 'g-1' }), 'googleId');
    const d = await users().update(gh.id, { discordId: 'd-1' });
    expect((await users().findByProviderId('discordId', 'd-1'))?.id).toBe(d?.id);
  });

  it('keeps SAML NameIDs (samlId) unique and findable', async () => {
    const s = await users().create({ email: 's@example.com', provider: 'saml', samlId: 'name-id-1' });
    expect((await users().findByProviderId('samlId', 'name-id-1'))?.id).toBe(s.id);
    expect((await users().findById(s.id))?.samlId).toBe('name-id-1');
    expect(await users().findByProviderId('samlId', 'name-id-2')).toBeNull();
    await expectDuplicate(users().create({ email: 's2@example.com', samlId: 'name-id-1' }), 'samlId');
    const cleared = await users().update(s.id, { samlId: null });
    expect(cleared?.samlId).toBeNull();
    expect(await users().findByProviderId('samlId', 'name-id-1')).toBeNull();
  });

  it('keeps LDAP and Apple identities unique and findable (issue 20)', async () => {
    const l = await users().create({ email: 'l@example.com', provider: 'ldap', ldapId: 'uid-1' });
    const a = await users().create({ email: 'a@example.com', provider: 'apple', appleId: '001234.abcd.0001' });
    expect((await users().findByProviderId('ldapId', 'uid-1'))?.id).toBe(l.id);
    expect((await users().findByProviderId('appleId', '001234.abcd.0001'))?.id).toBe(a.id);
    expect(await users().findByProviderId('appleId', 'uid-1')).toBeNull();
    expect((await users().findById(l.id))?.ldapId).toBe('uid-1');
    await expectDuplicate(users().create({ email: 'l2@example.com', ldapId: 'uid-1' }), 'ldapId');
    await expectDuplicate(users().update(l.id, { appleId: '001234.abcd.0001' }), 'appleId');
    expect((await users().update(a.id, { appleId: null }))?.appleId).toBeNull();
  });

  it('matches OpenID subjects by issuer: exact string, null for none, undefined for any', async () => {
    const a = await users().create({ email: 'oa@example.com', openidId: 'sub-1', openidIssuer: 'https://idp-a' });
    const b = await users().create({ email: 'ob@example.com', openidId: 'sub-1', openidIssuer: 'https://idp-b' });
    const c = await users().create({ email: 'oc@example.com', openidId: 'sub-2', openidIssuer: null });
    const find = (sub: string, issuer?: string | null) => users().findByProviderId('openidId', sub, issuer);
    expect((await find('sub-1', 'https://idp-a'))?.id).toBe(a.id);
    expect((await find('sub-1', 'https://idp-b'))?.id).toBe(b.id);
    expect(await find('sub-1', 'https://idp-c')).toBeNull();
    expect(await find('sub-1', null)).toBeNull();
    expect((await find('sub-2', null))?.id).toBe(c.id);
    expect(await find('sub-2', 'https://idp-a')).toBeNull();
    expect((await find('sub-2'))?.id).toBe(c.id);
    expect([a.id, b.id]).toContain((await find('sub-1'))?.id);
    await expectDuplicate(users().create({ email: 'od@example.com', openidId: 'sub-1', openidIssuer: 'https://idp-a' }), 'openidId');
    await expectDuplicate(users().create({ email: 'oe@example.com', openidId: 'sub-2' }), 'openidId');
  });

  it('lists users by creation time with limit and offset', async () => {
    const created: UserRecord[] = [];
    for (let i = 0; i < 5; i++) created.push(await users().create({ email: `list${i}@example.com` }));
    const expected = [...created].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime() || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)).map((u) => u.id);
    expect((await users().list()).map((u) => u.id)).toEqual(expected);
    expect((await users().list({ limit: 2 })).map((u) => u.id)).toEqual(expected.slice(0, 2));
    expect((await users().list({ limit: 2, offset: 2 })).map((u) => u.id)).toEqual(expected.slice(2, 4));
    expect((await users().list({ offset: 4 })).map((u) => u.id)).toEqual(expected.slice(4));
    expect(await users().count()).toBe(5);
  });

  it('MB-22 list({limit: 0}) lists nothing; a limit beyond the end lists the rest', async () => {
    for (let i = 0; i < 3; i++) await users().create({ email: `lim${i}@example.com` });
    expect(await users().list({ limit: 0 })).toEqual([]);
    expect(await users().list({ limit: 10, offset: 1 })).toHaveLength(2);
  });

  it('MB-22 stores usernames lower-cased, as LibreChat does, on create and on update', async () => {
    const created = await users().create({ email: 'case@example.com', username: 'MixedCase' });
    expect(created.username).toBe('mixedcase');
    expect((await users().update(created.id, { username: 'ÄDA' }))?.username).toBe('äda');
    expect((await users().findById(created.id))?.username).toBe('äda');
  });

  it('MB-22 update with null clears a nullable field and leaves a required one unchanged', async () => {
    const created = await users().create({ email: 'nulls@example.com', name: 'N', avatar: 'a.png', role: 'ADMIN', emailVerified: true });
    const updated = await users().update(created.id, {
      name: null,
      avatar: null,
      role: null as unknown as string,
      provider: null as unknown as string,
      emailVerified: null as unknown as boolean,
      email: null as unknown as string,
    });
    expect(updated).toMatchObject({ email: 'nulls@example.com', name: null, avatar: null, role: 'ADMIN', provider: 'local', emailVerified: true });
    expect(await users().findById(created.id)).toMatchObject({ name: null, avatar: null, role: 'ADMIN' });
  });

  it('deleteExpired removes only accounts whose expiresAt has passed', async () => {
    const past = await users().create({ email: 'past@example.com', expiresAt: at(-1) });
    const edge = await users().create({ email: 'edge@example.com', expiresAt: T0 });
    const future = await users().create({ email: 'future@example.com', expiresAt: at(1) });
    const forever = await users().create({ email: 'forever@example.com' });
    expect(await users().deleteExpired(T0)).toBe(2);
    expect(await users().findById(past.id)).toBeNull();
    expect(await users().findById(edge.id)).toBeNull();
    expect(await users().findById(future.id)).not.toBeNull();
    expect(await users().findById(forever.id)).not.toBeNull();
    expect(await users().deleteExpired(T0)).toBe(0);
  });
}
