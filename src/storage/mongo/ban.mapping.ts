import { isIP } from 'node:net';
import { BanRecord } from '../ports';
import { BanLogDoc } from './schemas/ban-log.schema';

/**
 * LibreChat's Keyv namespace for bans (`CacheKeys.BANS`); Keyv stores keys as `<namespace>:<key>`
 * and LibreChat's key is the bare user id or IP address: `BANS:<userId>`, `BANS:<ip>` (MB-16).
 */
export const BAN_KEY_PREFIX = 'BANS:';
/** Older LibreChat releases wrote the same records under a lower-case namespace; read, never written. */
export const LEGACY_BAN_KEY_PREFIX = 'bans:';
/** LibreChat's ban read cache (`checkBan`, Keyv namespace `ban`); a lifted ban must leave it too. */
const BAN_CACHE_PREFIX = 'ban:';

const USER_PREFIX = 'user:';
const IP_PREFIX = 'ip:';
/** LibreChat's user ids are ObjectIds; its other ban keys are addresses. */
const OBJECT_ID = /^[0-9a-f]{24}$/i;

/** The part after the namespace, as LibreChat names the subject: bare id or bare address. */
function bareSubject(subject: string): string {
  if (subject.startsWith(USER_PREFIX)) return subject.slice(USER_PREFIX.length);
  if (subject.startsWith(IP_PREFIX)) return subject.slice(IP_PREFIX.length);
  return subject;
}

/** The key Gatehouse writes a ban under: exactly LibreChat's. */
export function banKey(subject: string): string {
  return BAN_KEY_PREFIX + bareSubject(subject);
}

/**
 * Every key a ban of `subject` may live under: LibreChat's, the older lower-case namespace, and
 * the `BANS:user:<id>` / `BANS:ip:<ip>` form earlier Gatehouse versions wrote.
 */
export function banReadKeys(subject: string): string[] {
  const bare = bareSubject(subject);
  const keys = [BAN_KEY_PREFIX + bare, LEGACY_BAN_KEY_PREFIX + bare];
  if (bare !== subject) keys.push(BAN_KEY_PREFIX + subject);
  return keys;
}

/** LibreChat's cached "banned" markers for the subject (without and with USE_REDIS key forms). */
export function banCacheKeys(subject: string): string[] {
  const bare = bareSubject(subject);
  if (subject.startsWith(IP_PREFIX)) return [BAN_CACHE_PREFIX + bare, `${BAN_CACHE_PREFIX}ban_cache:ip:${bare}`];
  if (subject.startsWith(USER_PREFIX)) return [BAN_CACHE_PREFIX + bare, `${BAN_CACHE_PREFIX}ban_cache:user:${bare}`];
  return [];
}

/** Gatehouse's subject for a stored key, whichever of the three forms it has. */
export function subjectOfBanKey(key: string): string {
  const rest = key.startsWith(LEGACY_BAN_KEY_PREFIX) ? key.slice(LEGACY_BAN_KEY_PREFIX.length) : key.slice(BAN_KEY_PREFIX.length);
  if (rest.startsWith(USER_PREFIX) || rest.startsWith(IP_PREFIX)) return rest;
  if (OBJECT_ID.test(rest)) return USER_PREFIX + rest;
  // LibreChat strips ports, so what it stores is a bare address; other subjects stay as they are.
  return isIP(rest) !== 0 ? IP_PREFIX + rest : rest;
}

/** Anchored prefix regexes: MongoDB serves each from the `key` index. */
export const BAN_KEY_PATTERN = /^BANS:/;
export const LEGACY_BAN_KEY_PATTERN = /^bans:/;
/** Filter matching ban records in either namespace and nothing else in the shared `logs`. */
export const ANY_BAN_KEY = { $or: [{ key: BAN_KEY_PATTERN }, { key: LEGACY_BAN_KEY_PATTERN }] };

/**
 * The ban as LibreChat's banViolation writes it (`type`, `violation_count`, `duration`,
 * `expiresAt` in epoch ms, `user_id` for IP bans), plus the BanRecord fields it has no name for.
 */
interface StoredBan {
  type?: unknown;
  violation_count?: unknown;
  duration?: unknown;
  expiresAt?: unknown;
  user_id?: unknown;
  subject?: unknown;
  reason?: unknown;
  createdAt?: unknown;
}

export function toBanLogDoc(ban: BanRecord): Omit<BanLogDoc, '_id'> {
  const expires = ban.expiresAt.getTime();
  const value: StoredBan = {
    type: ban.type,
    violation_count: ban.violationCount,
    duration: expires - ban.createdAt.getTime(),
    expiresAt: expires,
    subject: ban.subject,
    reason: ban.reason,
    createdAt: ban.createdAt.getTime(),
  };
  if (ban.userId !== null) value.user_id = ban.userId;
  return { key: banKey(ban.subject), value: keyvSerialize({ value, expires }), expiresAt: ban.expiresAt };
}

/** Null for documents that are not readable bans (another writer's format, corrupt JSON). */
export function fromBanLogDoc(doc: Pick<BanLogDoc, 'key' | 'value' | 'expiresAt'>): BanRecord | null {
  let envelope: { value?: StoredBan; expires?: unknown };
  try {
    envelope = keyvDeserialize(doc.value) as typeof envelope;
  } catch {
    return null;
  }
  const ban = envelope?.value;
  if (!ban || typeof ban !== 'object') return null;
  const expiresMs = numberOr(ban.expiresAt, numberOr(envelope.expires, doc.expiresAt?.getTime() ?? NaN));
  if (!Number.isFinite(expiresMs)) return null;
  const createdMs = numberOr(ban.createdAt, expiresMs - numberOr(ban.duration, 0));
  return {
    subject: subjectOf(doc.key, ban.subject),
    type: typeof ban.type === 'string' ? ban.type : 'unknown',
    reason: typeof ban.reason === 'string' ? ban.reason : null,
    violationCount: numberOr(ban.violation_count, 0),
    createdAt: new Date(createdMs),
    expiresAt: new Date(expiresMs),
    userId: ban.user_id == null ? null : String(ban.user_id),
  };
}

/**
 * Gatehouse's subject travels in the value; it is trusted only when it names the key it is stored
 * under (LibreChat never writes it, and a copied value must not move a ban to another subject).
 */
function subjectOf(key: string, stored: unknown): string {
  if (typeof stored === 'string' && banReadKeys(stored).includes(key)) return stored;
  return subjectOfBanKey(key);
}

function numberOr(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return fallback;
}

/**
 * Keyv's default serializer (@keyv/serialize) is JSON, except that a string starting with ':' gets
 * one more ':' (it marks ':base64:' buffers). Keyv readers strip it again, so do the same both
 * ways or an IP such as '::1' would read back as ':1' in LibreChat.
 */
export function keyvSerialize(data: unknown): string {
  return JSON.stringify(escapeStrings(data));
}

export function keyvDeserialize(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' && value.startsWith(':') ? value.slice(1) : value));
}

function escapeStrings(data: unknown): unknown {
  if (typeof data === 'string') return data.startsWith(':') ? `:${data}` : data;
  if (Array.isArray(data)) return data.map(escapeStrings);
  if (data && typeof data === 'object') {
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [escapeStrings(k) as string, escapeStrings(v)]));
  }
  return data;
}
