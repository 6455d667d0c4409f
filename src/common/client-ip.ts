import { isIPv4, isIPv6 } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * The one rule for "who is the client" (MB-03, MB-04, MB-14, MB-15). Every reader — the limiter,
 * ban checks, violation scores, session records, request logs — goes through `clientAddress`, so
 * no entrance can decide differently from another.
 *
 * - `ip`: the peer's address as Fastify derives it with `trustProxy` (TRUST_PROXY): an
 *   X-Forwarded-For is believed only when the connecting peer is a trusted proxy. Normalised, so
 *   one address has one spelling. Used where a person reads it (logs, the session list).
 * - `key`: what limits, scores and bans are keyed by: `ip` for IPv4, the address's /N network for
 *   IPv6 (IPV6_SUBNET_PREFIX, default 56), because one IPv6 host usually owns a whole /64 or more
 *   and could otherwise open a new bucket per request.
 */
export interface ClientAddress {
  ip: string;
  key: string;
}

export interface ClientAddressPolicy {
  /** Prefix length IPv6 clients are grouped by; 128 keys every address separately. */
  ipv6SubnetPrefix: number;
}

export const DEFAULT_CLIENT_ADDRESS_POLICY: ClientAddressPolicy = { ipv6SubnetPrefix: 56 };

/** What the HTTP layer knows of a request's peer: the address Fastify derived with TRUST_PROXY. */
interface AddressSource {
  /** Fastify's request; its `ip` getter applies TRUST_PROXY, read only when somebody asks. */
  readonly request: { readonly ip: string };
  readonly policy: ClientAddressPolicy;
}

/**
 * Kept on the raw request under a symbol rather than in a WeakMap: weak-map entries for objects
 * that live for a few milliseconds each cost the garbage collector extra work on every request.
 */
const ADDRESS = Symbol('gatehouse.clientAddress');
type Addressed = IncomingMessage & { [ADDRESS]?: AddressSource | ClientAddress };

/**
 * Called once per request at its start (app.factory): remembers the address Fastify derived from
 * the peer and X-Forwarded-For under TRUST_PROXY (`request.ip`), with the IPv6 grouping policy,
 * so every reader, whether it holds Fastify's request or the raw one, decides the same way.
 */
export function bindClientAddress(raw: IncomingMessage, request: { readonly ip: string }, policy: ClientAddressPolicy): void {
  (raw as Addressed)[ADDRESS] = { request, policy };
}

/** A request as the HTTP layer hands it over: Fastify's (with `raw`) or Node's own. */
export type AddressedRequest = { raw: IncomingMessage } | IncomingMessage;

/** Computed once per request and remembered, so the hot path pays for it once. */
export function clientAddress(req: AddressedRequest): ClientAddress {
  const raw: Addressed = 'raw' in req ? req.raw : req;
  const known = raw[ADDRESS];
  if (known && 'key' in known) return known;
  // A request the pipeline did not see (none in the service) falls back to the socket's peer.
  const ip = normaliseIp(known ? known.request.ip : (raw.socket?.remoteAddress ?? '')) || 'unknown';
  const address = { ip, key: addressKey(ip, (known?.policy ?? DEFAULT_CLIENT_ADDRESS_POLICY).ipv6SubnetPrefix) };
  raw[ADDRESS] = address;
  return address;
}

/** The key limits, violation scores and bans use for this request's client. */
export function clientKey(req: AddressedRequest): string {
  return clientAddress(req).key;
}

/** The client's own address, for logs and session records. */
export function clientIp(req: AddressedRequest): string {
  return clientAddress(req).ip;
}

/**
 * The key of an already normalised address: IPv4 as is, IPv6 as its `/prefix` network in
 * canonical form (`2001:db8:0:100::/56`), or the bare address when the prefix is 128.
 */
export function addressKey(ip: string, ipv6SubnetPrefix: number): string {
  if (!isIPv6(ip) || ipv6SubnetPrefix >= 128) return ip;
  const groups = expandIPv6(ip);
  const masked = groups.map((group, i) => {
    const bitsLeft = ipv6SubnetPrefix - i * 16;
    if (bitsLeft >= 16) return group;
    if (bitsLeft <= 0) return 0;
    return group & (0xffff << (16 - bitsLeft)) & 0xffff;
  });
  return `${canonicalIPv6(masked.map((g) => g.toString(16)).join(':'))}/${ipv6SubnetPrefix}`;
}

/**
 * One spelling per address, so one client cannot rotate between buckets: IPv4-mapped IPv6 becomes
 * IPv4, brackets, zone ids and ports are stripped, IPv6 is written in its canonical form.
 */
export function normaliseIp(raw: string): string {
  let ip = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed) ip = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':'));
  ip = ip.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/.exec(ip);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const canonical = canonicalIPv6(ip);
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (hexMapped) {
    const [hi, lo] = [parseInt(hexMapped[1], 16), parseInt(hexMapped[2], 16)];
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  return canonical;
}

/** The WHATWG URL serialiser writes IPv6 in its canonical compressed, lower-case form (RFC 5952). */
function canonicalIPv6(ip: string): string {
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
}

/** Eight 16-bit groups of a valid IPv6 address (embedded IPv4 included). */
function expandIPv6(ip: string): number[] {
  const canonical = canonicalIPv6(ip); // the serialiser also turns a trailing dotted quad into hex
  const [head, tail] = canonical.includes('::') ? canonical.split('::') : [canonical, null];
  const parse = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  if (tail === null) return left;
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
