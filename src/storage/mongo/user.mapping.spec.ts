import { Types } from 'mongoose';
import { duplicateKeyFields, isDuplicateKeyError, retryOnDuplicateKey } from './mongo-errors';
import { creationTimeOf, idToString, isObjectIdHex, toObjectId } from './object-id';
import { buildUserInsert, buildUserUpdate, canonicalEmail, duplicateUserField, providerIdFilter, toUserRecord, userSearchFilter } from './user.mapping';

const HEX = '65f0a1b2c3d4e5f601234567';
const T0 = new Date('2031-03-04T05:06:07.000Z');
const dupError = (keyPattern?: Record<string, number>, message = 'E11000 duplicate key error') =>
  Object.assign(new Error(message), { code: 11000, ...(keyPattern ? { keyPattern } : {}) });

describe('object ids', () => {
  it('accepts only 24-hex strings (not any 12-character string)', () => {
    expect(isObjectIdHex(HEX)).toBe(true);
    expect(isObjectIdHex(HEX.toUpperCase())).toBe(true);
    expect(isObjectIdHex('aaaaaaaaaaaa')).toBe(false);
    expect(isObjectIdHex('00000000-0000-4000-8000-000000000000')).toBe(false);
    expect(isObjectIdHex(`${HEX}0`)).toBe(false);
    expect(toObjectId('no-such-session')).toBeNull();
    expect(toObjectId(HEX)?.toHexString()).toBe(HEX);
    expect(idToString(new Types.ObjectId(HEX))).toBe(HEX);
    expect(creationTimeOf(new Types.ObjectId(HEX)).getTime()).toBe(0x65f0a1b2 * 1000);
  });
});

describe('duplicate-key errors', () => {
  it('reads the fields from keyPattern, or from the index name on older servers', () => {
    expect(isDuplicateKeyError(dupError())).toBe(true);
    expect(isDuplicateKeyError(Object.assign(new Error('x'), { code: 11001 }))).toBe(true);
    expect(isDuplicateKeyError(Object.assign(new Error('x'), { code: 112 }))).toBe(false);
    expect(isDuplicateKeyError('E11000')).toBe(false);
    expect(duplicateKeyFields(dupError({ email: 1, tenantId: 1 }))).toEqual(['email', 'tenantId']);
    const legacy = dupError(undefined, 'E11000 duplicate key error collection: db.users index: googleId_1_tenantId_1 dup key: { googleId: "g" }');
    expect(duplicateKeyFields(legacy)).toEqual(['googleId', 'tenantId']);
  });

  it('retries only duplicate-key failures, a bounded number of times', async () => {
    let calls = 0;
    await expect(retryOnDuplicateKey(async () => (++calls < 3 ? Promise.reject(dupError()) : 'ok'))).resolves.toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(retryOnDuplicateKey(async () => (++calls, Promise.reject(dupError())), 2)).rejects.toMatchObject({ code: 11000 });
    expect(calls).toBe(2);
    calls = 0;
    await expect(retryOnDuplicateKey(async () => (++calls, Promise.reject(new Error('network'))))).rejects.toThrow('network');
    expect(calls).toBe(1);
  });
});

describe('user mapping', () => {
  it('canonicalises emails', () => {
    expect(canonicalEmail('  Alice@Example.COM \t')).toBe('alice@example.com');
  });

  it('never inserts null or undefined fields (partial unique indexes treat null as a value)', () => {
    const id = new Types.ObjectId(HEX);
    const doc = buildUserInsert(
      { email: ' Bob@Example.com ', name: 'Bob', googleId: null, openidId: undefined, openidIssuer: null, password: 'hash', expiresAt: null },
      'ADMIN',
      id,
    );
    expect(doc).toEqual({
      _id: id,
      email: 'bob@example.com',
      name: 'Bob',
      password: 'hash',
      emailVerified: false,
      provider: 'local',
      role: 'ADMIN',
      twoFactorEnabled: false,
      termsAccepted: false,
    });
  });

  it('updates named fields only: $set for values, $unset for nulls', () => {
    expect(
      buildUserUpdate({ email: ' New@Example.com ', name: 'N', password: null, googleId: null, emailVerified: true, expiresAt: T0, role: undefined }),
    ).toEqual({
      $set: { email: 'new@example.com', name: 'N', emailVerified: true, expiresAt: T0 },
      $unset: { password: 1, googleId: 1 },
    });
    expect(buildUserUpdate({ openidId: 'sub' })).toEqual({ $set: { openidId: 'sub' } });
    expect(buildUserUpdate({})).toBeNull();
    // AD-08: the flag is stored only as true; enabling removes the field from LibreChat's document.
    expect(buildUserUpdate({ disabled: true })).toEqual({ $set: { disabled: true } });
    expect(buildUserUpdate({ disabled: false })).toEqual({ $unset: { disabled: 1 } });
    expect(buildUserUpdate({ name: undefined })).toBeNull();
    // Unknown keys (e.g. LibreChat's own fields) are never written.
    expect(buildUserUpdate({ totpSecret: 'x' } as never)).toBeNull();
  });

  it('builds the provider-id filter: issuer string exact, null = missing/null/empty, undefined = any', () => {
    expect(providerIdFilter('openidId', 'sub', 'https://idp')).toEqual({ openidId: 'sub', openidIssuer: 'https://idp' });
    expect(providerIdFilter('openidId', 'sub', null)).toEqual({ openidId: 'sub', openidIssuer: { $in: [null, ''] } });
    expect(providerIdFilter('openidId', 'sub')).toEqual({ openidId: 'sub' });
    expect(providerIdFilter('openidId', 'sub', undefined)).toEqual({ openidId: 'sub' });
    expect(providerIdFilter('googleId', 'g', 'https://idp')).toEqual({ googleId: 'g' });
    expect(providerIdFilter('githubId', 'gh', null)).toEqual({ githubId: 'gh' });
  });

  it('names the duplicated field from the violated index', () => {
    expect(duplicateUserField(dupError({ email: 1, tenantId: 1 }))).toBe('email');
    expect(duplicateUserField(dupError({ openidId: 1, openidIssuer: 1, tenantId: 1 }))).toBe('openidId');
    expect(duplicateUserField(dupError({ discordId: 1, tenantId: 1 }))).toBe('discordId');
    expect(duplicateUserField(dupError({ samlId: 1, tenantId: 1 }))).toBe('samlId');
    expect(duplicateUserField(dupError())).toBe('email');
  });

  it('reads LibreChat documents: empty username, no password, no timestamps', () => {
    const _id = new Types.ObjectId(HEX);
    const record = toUserRecord({ _id, email: 'a@b.c', emailVerified: true, provider: 'openid', username: '', openidId: 'sub' });
    expect(record).toEqual({
      id: HEX,
      email: 'a@b.c',
      name: null,
      username: null,
      password: null,
      emailVerified: true,
      avatar: null,
      provider: 'openid',
      role: 'USER',
      googleId: null,
      facebookId: null,
      githubId: null,
      discordId: null,
      samlId: null,
      openidId: 'sub',
      openidIssuer: null,
      ldapId: null,
      appleId: null,
      idOnTheSource: null,
      twoFactorEnabled: false,
      termsAccepted: false,
      disabled: false,
      expiresAt: null,
      createdAt: _id.getTimestamp(),
      updatedAt: _id.getTimestamp(),
    });
    expect(toUserRecord({ _id, email: 'a@b.c', emailVerified: false, provider: 'local', username: 'al', createdAt: T0 }).username).toBe('al');
  });

  it('AD-09 builds the admin search filter: escaped case-insensitive substring, keyset position', () => {
    expect(userSearchFilter(undefined, null)).toEqual({});
    expect(userSearchFilter('  a.b*(c) ', null)).toEqual({
      $or: [
        { email: { $regex: 'a\\.b\\*\\(c\\)', $options: 'i' } },
        { name: { $regex: 'a\\.b\\*\\(c\\)', $options: 'i' } },
        { username: { $regex: 'a\\.b\\*\\(c\\)', $options: 'i' } },
      ],
    });
    const after = { at: T0.getTime(), id: HEX };
    expect(userSearchFilter('', after)).toEqual({ $or: [{ createdAt: { $gt: T0 } }, { createdAt: T0, _id: { $gt: new Types.ObjectId(HEX) } }] });
    expect(Object.keys(userSearchFilter('x', after))).toEqual(['$and']);
  });
});
