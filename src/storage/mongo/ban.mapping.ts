import { BanRecord } from '../ports';
import { BanLogDoc } from './schemas/ban-log.schema';

/** LibreChat's Keyv namespace for bans (`CacheKeys.BANS`); Keyv stores keys as `<namespace>:<key>`. */
export const BAN_KEY_PREFIX = 'BANS:';

export function banKey(subject: string): string {
  return BAN_KEY_PREFIX + subject;
}

/** Anchored prefix regex: MongoDB serves it from the `key` index. */
export const BAN_KEY_PATTERN = /^BANS:/;

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
    subject: typeof ban.subject === 'string' ? ban.subject : doc.key.slice(BAN_KEY_PREFIX.length),
    type: typeof ban.type === 'string' ? ban.type : 'unknown',
    reason: typeof ban.reason === 'string' ? ban.reason : null,
    violationCount: numberOr(ban.violation_count, 0),
    createdAt: new Date(createdMs),
    expiresAt: new Date(expiresMs),
    userId: ban.user_id == null ? null : String(ban.user_id),
  };
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
