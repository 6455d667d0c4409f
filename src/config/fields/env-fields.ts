import { isIP } from 'node:net';
import { z } from 'zod';
import { evaluateArithmetic } from './arithmetic';

/**
 * Builders for environment variables. Each turns the raw string (or its absence) into a typed
 * value, and on bad input reports one message that says what is wrong and the expected form.
 * An empty or blank value counts as unset, as in LibreChat's `.env` files where `NAME=` is common.
 */
type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string };

interface FieldOptions {
  /** Never echo the value in an error (secrets, passwords). */
  secret?: boolean;
}

function field<T, D extends T | undefined>(parse: (raw: string) => Parsed<T>, fallback: D, options: FieldOptions = {}) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | D => {
      const value = raw?.trim();
      if (value === undefined || value === '') return fallback;
      const parsed = parse(value);
      if (parsed.ok) return parsed.value;
      const shown = options.secret ? 'the value' : JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
      ctx.addIssue({ code: 'custom', message: `${shown} ${parsed.expected}` });
      return z.NEVER;
    });
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (expected: string): Parsed<never> => ({ ok: false, expected });

export function optStr() {
  return field((raw) => ok(raw), undefined);
}

export function str(fallback: string) {
  return field((raw) => ok(raw), fallback);
}

export function secret() {
  return field((raw) => ok(raw), undefined, { secret: true });
}

export function bool(fallback: boolean) {
  return field((raw) => parseBool(raw), fallback);
}

/** A tri-state switch: unset means "decide by heuristic". */
export function optBool() {
  return field<boolean, undefined>((raw) => parseBool(raw), undefined);
}

function parseBool(raw: string): Parsed<boolean> {
  const v = raw.toLowerCase();
  if (v === 'true') return ok(true);
  if (v === 'false') return ok(false);
  return bad('is not a boolean; expected true or false');
}

export function int(fallback: number, range: { min?: number; max?: number } = {}) {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  return field((raw) => {
    if (!/^[+-]?\d+$/.test(raw)) return bad(`is not a whole number; expected an integer between ${min} and ${max}`);
    const n = Number(raw);
    if (n < min || n > max) return bad(`is out of range; expected an integer between ${min} and ${max}`);
    return ok(n);
  }, fallback);
}

export function port(fallback: number) {
  return field((raw) => {
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    return n >= 0 && n <= 65535 ? ok(n) : bad('is not a TCP port; expected an integer from 0 to 65535');
  }, fallback);
}

/** Milliseconds, written as a number or an arithmetic expression like `1000 * 60 * 15`. */
export function duration(fallback: number, range: { min?: number; max?: number } = {}) {
  const { min = 0, max = 10 * 365 * 24 * 3600 * 1000 } = range;
  return field((raw) => {
    const n = evaluateArithmetic(raw);
    if (n === null) return bad('is not a duration; expected milliseconds as a number or an arithmetic expression such as 1000 * 60 * 15');
    if (n < min || n > max) return bad(`is out of range; expected between ${min} and ${max} milliseconds`);
    return ok(Math.round(n));
  }, fallback);
}

function parseUrl(raw: string, protocols: string[]): URL | null {
  try {
    const url = new URL(raw);
    return protocols.includes(url.protocol) && url.hostname !== '' ? url : null;
  } catch {
    return null;
  }
}

/** An absolute http(s) URL; returned as written, without a trailing slash. */
export function httpUrl<D extends string | undefined = undefined>(fallback?: D) {
  return field(
    (raw) => (parseUrl(raw, ['http:', 'https:']) ? ok(raw.replace(/\/+$/, '')) : bad('is not an absolute http(s) URL; expected e.g. https://example.com')),
    fallback as D,
  );
}

/**
 * An absolute http(s) URL kept exactly as written (trimmed): for values compared as strings,
 * such as an OpenID issuer, where a trailing slash is significant (OC-07).
 */
export function exactHttpUrl() {
  return field((raw) => (parseUrl(raw, ['http:', 'https:']) ? ok(raw) : bad('is not an absolute http(s) URL; expected e.g. https://example.com')), undefined);
}

/** A connection string with one of the given schemes, e.g. mongodb:// or redis://. */
export function connectionUri(schemes: string[]) {
  return field(
    (raw) => {
      const scheme = raw.split('://')[0];
      return raw.includes('://') && schemes.includes(`${scheme}:`)
        ? ok(raw)
        : bad(`is not a valid connection string; expected it to start with ${schemes.map((s) => `${s}//`).join(' or ')}`);
    },
    undefined,
    { secret: true },
  );
}

/** A path below the server's own origin (`/oauth/google/callback`) or an absolute http(s) URL. */
export function pathOrUrl(fallback: string) {
  return field((raw) => {
    if (raw.startsWith('/') && !raw.startsWith('//')) return ok(raw);
    return parseUrl(raw, ['http:', 'https:']) ? ok(raw) : bad('is neither a path starting with / nor an absolute http(s) URL');
  }, fallback);
}

export function oneOf<const T extends string, D extends T | undefined = undefined>(values: readonly T[], fallback?: D) {
  return field((raw) => {
    const v = raw.toLowerCase() as T;
    return values.includes(v) ? ok(v) : bad(`is not allowed; expected one of: ${values.join(', ')}`);
  }, fallback as D);
}

/** A comma- (or whitespace-) separated list; empty items dropped. */
export function list(fallback: string[] = [], options: { item?: (v: string) => string | null; itemForm?: string } = {}) {
  return field((raw) => {
    const items = raw.split(/[\s,]+/).filter(Boolean);
    if (!options.item) return ok(items);
    const out: string[] = [];
    for (const item of items) {
      const v = options.item(item);
      if (v === null) return bad(`contains ${JSON.stringify(item)}, which is not ${options.itemForm ?? 'valid'}`);
      out.push(v);
    }
    return ok(out);
  }, fallback);
}

export function email() {
  return field((raw) => {
    const address = raw.match(/<([^>]+)>\s*$/)?.[1] ?? raw;
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address) ? ok(raw) : bad('is not an email address; expected e.g. noreply@example.com');
  }, undefined);
}

/**
 * One item of a trust-proxy list as Express (proxy-addr) accepts it: a keyword, an address, or a
 * subnet with a prefix length of 1 up to the address size; anything else would throw at boot.
 */
function isTrustProxyItem(item: string): boolean {
  if (/^(loopback|linklocal|uniquelocal)$/i.test(item)) return true;
  const [address, prefix, extra] = item.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Express `trust proxy`: a hop count, true/false, or a list of addresses/subnets/keywords. */
export function trustProxy(fallback: number | boolean | string[]) {
  return field<number | boolean | string[], number | boolean | string[]>((raw) => {
    if (/^\d+$/.test(raw)) return ok(Number(raw));
    const lower = raw.toLowerCase();
    if (lower === 'true' || lower === 'false') return ok(lower === 'true');
    const items = raw.split(/\s*,\s*/).filter(Boolean);
    const valid = items.every(isTrustProxyItem);
    return valid
      ? ok(items)
      : bad('is not a trust-proxy setting; expected a hop count (e.g. 1), true/false, or a comma list of IPs, subnets or loopback/linklocal/uniquelocal');
  }, fallback);
}

export function hex(bytes: number) {
  return field(
    (raw) => (new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(raw) ? ok(raw.toLowerCase()) : bad(`is not ${bytes * 2} hexadecimal characters (${bytes} bytes)`)),
    undefined,
    { secret: true },
  );
}

/** A byte size like `100kb` or `1mb`, as body-parser understands it. */
export function byteSize(fallback: string) {
  return field(
    (raw) => (/^\d+(\.\d+)?\s*(b|kb|mb)$/i.test(raw) ? ok(raw.toLowerCase().replace(/\s+/g, '')) : bad('is not a size; expected e.g. 100kb or 1mb')),
    fallback,
  );
}

/** A whole count, also accepted as an arithmetic expression (LibreChat marks some counts "(expr)"). */
export function count(fallback: number, range: { min?: number; max?: number } = {}) {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = range;
  return field((raw) => {
    const n = evaluateArithmetic(raw);
    if (n === null || !Number.isInteger(n)) return bad('is not a whole number; expected e.g. 20');
    return n < min || n > max ? bad(`is out of range; expected between ${min} and ${max}`) : ok(n);
  }, fallback);
}

/** A hostname or IP address (no scheme, no port). */
export function hostname() {
  return field(
    (raw) => (/^[A-Za-z0-9.-]+$|^\[?[0-9a-fA-F:]+\]?$/.test(raw) ? ok(raw) : bad('is not a hostname; expected e.g. smtp.example.com (no scheme or port)')),
    undefined,
  );
}
