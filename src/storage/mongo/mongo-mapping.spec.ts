import { Types } from 'mongoose';
import { BanRecord, EmptyTokenFilterError } from '../ports';
import { BAN_KEY_PATTERN, banCacheKeys, banKey, banReadKeys, fromBanLogDoc, keyvDeserialize, keyvSerialize, subjectOfBanKey, toBanLogDoc } from './ban.mapping';
import { claimQuery, toOutboxMessage } from './outbox.mapping';
import { buildSessionInsert, rotateQuery, toSessionRecord } from './session.mapping';
import { NO_USER_ID, buildTokenInsert, liveTokenFilter, toTokenRecord, tokenFilter } from './token.mapping';

const HEX = '65f0a1b2c3d4e5f601234567';
const T0 = new Date('2031-03-04T05:06:07.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('session mapping', () => {
  const id = new Types.ObjectId(HEX);
  const user = new Types.ObjectId('aaaaaaaaaaaaaaaaaaaaaaaa');

  it('maps port names onto LibreChat fields', () => {
    const doc = buildSessionInsert({ userId: user.toHexString(), tokenHash: 'h', expiresAt: at(1000), createdAt: T0, ip: '192.0.2.1' }, id, user, T0);
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
    // An empty filter would match every token: refused rather than turned into `{}`.
    expect(() => tokenFilter({})).toThrow(EmptyTokenFilterError);
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
    const doc = buildTokenInsert({ type: 'invite', tokenHash: 'h', expiresAt: at(1), createdAt: T0, email: 'A@B.c' }, id, T0);
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
    expect(() => buildTokenInsert({ type: 'x', tokenHash: 'h', expiresAt: T0, userId: 'user-1' }, id, T0)).toThrow();
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

  it('MB-16 writes {key: BANS:<ip or user id>, value: {"value": ban, "expires": ms}, expiresAt} as LibreChat does', () => {
    const doc = toBanLogDoc(ban);
    expect(doc.key).toBe('BANS:203.0.113.9');
    expect(toBanLogDoc({ ...ban, subject: `user:${HEX}` }).key).toBe(`BANS:${HEX}`);
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

  it('MB-16 reads a ban LibreChat wrote (no subject, reason or createdAt) as a user or IP ban, in either namespace', () => {
    const expiresAt = at(600_000).getTime();
    const value = JSON.stringify({ value: { type: 'logins', violation_count: 20, duration: 600_000, expiresAt }, expires: expiresAt });
    expect(fromBanLogDoc({ key: 'BANS:2001:db8::7', value, expiresAt: null })?.subject).toBe('ip:2001:db8::7');
    expect(fromBanLogDoc({ key: 'bans:198.51.100.4', value, expiresAt: null })?.subject).toBe('ip:198.51.100.4');
    expect(fromBanLogDoc({ key: `bans:${HEX}`, value, expiresAt: null })?.subject).toBe(`user:${HEX}`);
    expect(fromBanLogDoc({ key: `BANS:${HEX}`, value, expiresAt: new Date(expiresAt) })).toEqual({
      subject: `user:${HEX}`,
      type: 'logins',
      reason: null,
      violationCount: 20,
      createdAt: T0,
      expiresAt: new Date(expiresAt),
      userId: null,
    });
  });

  it("MB-16 reads every key form (LibreChat, lower-case, earlier Gatehouse) and clears LibreChat's ban cache", () => {
    expect(banReadKeys(`user:${HEX}`)).toEqual([`BANS:${HEX}`, `bans:${HEX}`, `BANS:user:${HEX}`]);
    expect(banReadKeys('ip:::1')).toEqual(['BANS:::1', 'bans:::1', 'BANS:ip:::1']);
    expect(banCacheKeys('ip:::1')).toEqual(['ban:::1', 'ban:ban_cache:ip:::1']);
    expect(banCacheKeys(`user:${HEX}`)).toEqual([`ban:${HEX}`, `ban:ban_cache:user:${HEX}`]);
    expect(subjectOfBanKey('BANS:user:u1')).toBe('user:u1');
    expect(subjectOfBanKey('BANS:ip:10.0.0.1')).toBe('ip:10.0.0.1');
    // A value copied under another key does not carry its subject along.
    const copied = { ...toBanLogDoc(ban), key: `BANS:${HEX}` };
    expect(fromBanLogDoc(copied)?.subject).toBe(`user:${HEX}`);
    // Non-ObjectId user ids (tests, other stores) keep their subject through the value.
    expect(fromBanLogDoc(toBanLogDoc({ ...ban, subject: 'user:u1' }))?.subject).toBe('user:u1');
  });

  it('escapes strings starting with ":" like @keyv/serialize, and rejects unreadable values', () => {
    expect(keyvSerialize({ value: { ip: '::1', ok: 'a:b' } })).toBe('{"value":{"ip":":::1","ok":"a:b"}}');
    expect(keyvDeserialize('{"value":{"ip":":::1"}}')).toEqual({ value: { ip: '::1' } });
    const withColon = toBanLogDoc({ ...ban, subject: 'ip:::1', reason: ':(' });
    expect(withColon.key).toBe('BANS:::1');
    expect(fromBanLogDoc(withColon)).toMatchObject({ subject: 'ip:::1', reason: ':(' });
    expect(fromBanLogDoc({ key: 'BANS:x', value: 'not json', expiresAt: null })).toBeNull();
    expect(fromBanLogDoc({ key: 'BANS:x', value: '{"expires":1}', expiresAt: null })).toBeNull();
  });
});

describe('outbox mapping', () => {
  it('claims the oldest due pending message under a lease, counting an attempt', () => {
    expect(claimQuery(T0, 60_000, 'instance-a')).toEqual({
      filter: { status: 'pending', availableAt: { $lte: T0 } },
      update: { $set: { availableAt: at(60_000), leaseOwner: 'instance-a', updatedAt: T0 }, $inc: { attempts: 1 } },
      sort: { availableAt: 1, _id: 1 },
    });
  });

  it('maps documents to messages', () => {
    const _id = new Types.ObjectId(HEX);
    const doc = { _id, kind: 'mail', payload: '{}', status: 'pending' as const, attempts: 0, availableAt: T0, createdAt: T0, updatedAt: T0 };
    expect(toOutboxMessage(doc)).toEqual({ ...doc, _id: undefined, id: HEX, lastError: null });
  });
});
