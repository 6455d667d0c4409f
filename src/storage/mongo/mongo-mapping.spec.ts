import { Types } from 'mongoose';
import { BanRecord } from '../ports';
import { BAN_KEY_PATTERN, banKey, fromBanLogDoc, keyvDeserialize, keyvSerialize, toBanLogDoc } from './ban.mapping';
import { duplicateKeyFields, isDuplicateKeyError, retryOnDuplicateKey } from './mongo-errors';
import { creationTimeOf, idToString, isObjectIdHex, toObjectId } from './object-id';
import { claimQuery, toOutboxMessage } from './outbox.mapping';
import { buildSessionInsert, rotateQuery, toSessionRecord } from './session.mapping';
import { NO_USER_ID, buildTokenInsert, liveTokenFilter, toTokenRecord, tokenFilter } from './token.mapping';
import { buildUserInsert, buildUserUpdate, canonicalEmail, duplicateUserField, providerIdFilter, toUserRecord } from './user.mapping';

const HEX = '65f0a1b2c3d4e5f601234567';
const T0 = new Date('2031-03-04T05:06:07.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
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
      openidId: 'sub',
      openidIssuer: null,
      idOnTheSource: null,
      twoFactorEnabled: false,
      termsAccepted: false,
      expiresAt: null,
      createdAt: _id.getTimestamp(),
      updatedAt: _id.getTimestamp(),
    });
    expect(toUserRecord({ _id, email: 'a@b.c', emailVerified: false, provider: 'local', username: 'al', createdAt: T0 }).username).toBe('al');
  });
});

describe('session mapping', () => {
  const id = new Types.ObjectId(HEX);
  const user = new Types.ObjectId('aaaaaaaaaaaaaaaaaaaaaaaa');

  it('maps port names onto LibreChat fields', () => {
    const doc = buildSessionInsert({ userId: user.toHexString(), tokenHash: 'h', expiresAt: at(1000), createdAt: T0, ip: '192.0.2.1' }, id, user);
    expect(doc).toEqual({ _id: id, user, refreshTokenHash: 'h', expiration: at(1000), createdAt: T0, lastUsedAt: T0, ip: '192.0.2.1' });
    expect(toSessionRecord(doc)).toEqual({
      id: HEX,
      userId: user.toHexString(),
      tokenHash: 'h',
      previousTokenHash: null,
      rotatedAt: null,
      expiresAt: at(1000),
      createdAt: T0,
      lastUsedAt: T0,
      userAgent: null,
      ip: '192.0.2.1',
      provider: null,
    });
  });

  it('reads a LibreChat session (no createdAt/lastUsedAt) using the ObjectId time', () => {
    const record = toSessionRecord({ _id: id, user, refreshTokenHash: 'h', expiration: at(1) });
    expect(record.createdAt).toEqual(id.getTimestamp());
    expect(record.lastUsedAt).toEqual(id.getTimestamp());
  });

  it('rotates as a compare-and-swap on the live, unexpired hash', () => {
    expect(rotateQuery({ id: HEX, expectedTokenHash: 'old', newTokenHash: 'new', now: T0 }, id)).toEqual({
      filter: { _id: id, refreshTokenHash: 'old', expiration: { $gt: T0 } },
      update: { $set: { previousTokenHash: 'old', refreshTokenHash: 'new', rotatedAt: T0, lastUsedAt: T0 } },
    });
  });
});

describe('one-time token mapping', () => {
  const id = new Types.ObjectId(HEX);
  const USER = 'cccccccccccccccccccccccc';

  it('ANDs every given field, renames tokenHash to token and canonicalises the email', () => {
    expect(tokenFilter({})).toEqual({});
    expect(tokenFilter({ type: 'reset', tokenHash: 'h', userId: USER, email: ' K@Example.COM ', identifier: 'i' })).toEqual({
      type: 'reset',
      token: 'h',
      userId: new Types.ObjectId(USER),
      email: 'k@example.com',
      identifier: 'i',
    });
    expect(liveTokenFilter({ type: 'reset', tokenHash: 'h' }, T0)).toEqual({ type: 'reset', token: 'h', expiresAt: { $gt: T0 } });
  });

  it('turns a userId that is not an ObjectId into "matches nothing" instead of a CastError', () => {
    expect(tokenFilter({ userId: 'user-1' })).toBeNull();
    expect(liveTokenFilter({ type: 'reset', userId: 'user-1' }, T0)).toBeNull();
  });

  it('stores a null userId as the all-zero ObjectId and reads it back as null', () => {
    const doc = buildTokenInsert({ type: 'invite', tokenHash: 'h', expiresAt: at(1), createdAt: T0, email: 'A@B.c' }, id);
    expect(doc).toEqual({ _id: id, userId: NO_USER_ID, type: 'invite', token: 'h', createdAt: T0, expiresAt: at(1), email: 'a@b.c' });
    expect(toTokenRecord(doc)).toEqual({
      id: HEX,
      userId: null,
      email: 'a@b.c',
      type: 'invite',
      identifier: null,
      tokenHash: 'h',
      createdAt: T0,
      expiresAt: at(1),
      metadata: null,
    });
    expect(() => buildTokenInsert({ type: 'x', tokenHash: 'h', expiresAt: T0, userId: 'user-1' }, id)).toThrow();
  });

  it('reads metadata from a Map or a plain object, rendering non-strings as JSON', () => {
    const base = { _id: id, userId: new Types.ObjectId(USER), type: 't', token: 'h', createdAt: T0, expiresAt: T0 };
    expect(toTokenRecord({ ...base, metadata: new Map([['a', 'b']]) }).metadata).toEqual({ a: 'b' });
    expect(toTokenRecord({ ...base, metadata: { a: 'b', n: 2 } }).metadata).toEqual({ a: 'b', n: '2' });
    expect(toTokenRecord(base).userId).toBe(USER);
  });
});

describe('ban mapping (LibreChat Keyv format)', () => {
  const ban: BanRecord = {
    subject: 'ip:203.0.113.9',
    type: 'logins',
    reason: 'too many',
    violationCount: 3,
    createdAt: T0,
    expiresAt: at(3_600_000),
    userId: 'ffffffffffffffffffffffff',
  };

  it('writes {key: BANS:<subject>, value: {"value": ban, "expires": ms}, expiresAt}', () => {
    const doc = toBanLogDoc(ban);
    expect(doc.key).toBe('BANS:ip:203.0.113.9');
    expect(doc.expiresAt).toEqual(at(3_600_000));
    expect(JSON.parse(doc.value)).toEqual({
      value: {
        type: 'logins',
        violation_count: 3,
        duration: 3_600_000,
        expiresAt: at(3_600_000).getTime(),
        user_id: 'ffffffffffffffffffffffff',
        subject: 'ip:203.0.113.9',
        reason: 'too many',
        createdAt: T0.getTime(),
      },
      expires: at(3_600_000).getTime(),
    });
    expect(fromBanLogDoc(doc)).toEqual(ban);
    expect(fromBanLogDoc(toBanLogDoc({ ...ban, userId: null, reason: null }))).toEqual({ ...ban, userId: null, reason: null });
    expect(BAN_KEY_PATTERN.test(banKey('user:1'))).toBe(true);
    expect(BAN_KEY_PATTERN.test('violations:user:1')).toBe(false);
  });

  it('reads a ban LibreChat wrote (no subject, reason or createdAt)', () => {
    const expiresAt = at(600_000).getTime();
    const value = JSON.stringify({ value: { type: 'logins', violation_count: 20, duration: 600_000, expiresAt }, expires: expiresAt });
    expect(fromBanLogDoc({ key: `BANS:${HEX}`, value, expiresAt: new Date(expiresAt) })).toEqual({
      subject: HEX,
      type: 'logins',
      reason: null,
      violationCount: 20,
      createdAt: T0,
      expiresAt: new Date(expiresAt),
      userId: null,
    });
  });

  it('escapes strings starting with ":" like @keyv/serialize, and rejects unreadable values', () => {
    expect(keyvSerialize({ value: { ip: '::1', ok: 'a:b' } })).toBe('{"value":{"ip":":::1","ok":"a:b"}}');
    expect(keyvDeserialize('{"value":{"ip":":::1"}}')).toEqual({ value: { ip: '::1' } });
    const withColon = toBanLogDoc({ ...ban, subject: '::1', reason: ':(' });
    expect(fromBanLogDoc(withColon)).toMatchObject({ subject: '::1', reason: ':(' });
    expect(fromBanLogDoc({ key: 'BANS:x', value: 'not json', expiresAt: null })).toBeNull();
    expect(fromBanLogDoc({ key: 'BANS:x', value: '{"expires":1}', expiresAt: null })).toBeNull();
  });
});

describe('outbox mapping', () => {
  it('claims the oldest due pending message under a lease, counting an attempt', () => {
    expect(claimQuery(T0, 60_000)).toEqual({
      filter: { status: 'pending', availableAt: { $lte: T0 } },
      update: { $set: { availableAt: at(60_000), updatedAt: T0 }, $inc: { attempts: 1 } },
      sort: { availableAt: 1, _id: 1 },
    });
  });

  it('maps documents to messages', () => {
    const _id = new Types.ObjectId(HEX);
    const doc = { _id, kind: 'mail', payload: '{}', status: 'pending' as const, attempts: 0, availableAt: T0, createdAt: T0, updatedAt: T0 };
    expect(toOutboxMessage(doc)).toEqual({ ...doc, _id: undefined, id: HEX, lastError: null });
  });
});
