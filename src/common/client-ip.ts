import { isIPv6 } from 'node:net';
import type { Request } from 'express';

/**
 * The client address limits and bans are keyed by. Express has already applied TRUST_PROXY
 * (`trust proxy` = hop count or address list) to compute `req.ip`, so an X-Forwarded-For from a
 * peer that is not a trusted proxy never reaches here (MB-03, MB-04).
 */
export function clientIp(req: Pick<Request, 'ip' | 'socket'>): string {
  return normaliseIp(req.ip ?? req.socket?.remoteAddress ?? '') || 'unknown';
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
  if (mapped) return mapped[1];
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
