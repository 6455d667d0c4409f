import { z } from 'zod';
import { byteSize, count, duration, httpUrl, list, oneOf, optBool, optStr, port, str, trustProxy } from '../fields/env-fields';
import { problem } from './issue';

/**
 * Peers whose X-Forwarded-For is believed by default: the host itself and private networks, where
 * a reverse proxy usually sits. A client on a public address connecting directly cannot choose its
 * address (MB-14); a proxy elsewhere must be named (or counted) in TRUST_PROXY.
 */
export const DEFAULT_TRUST_PROXY = ['loopback', 'linklocal', 'uniquelocal'];

/** Points where a test may ask the process to die (kill -9), to prove that nothing is lost there. */
export const CRASH_POINTS = ['after-mail-commit'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export const serverSchema = z
  .object({
    NODE_ENV: str('development'),
    HOST: str('127.0.0.1'),
    PORT: port(3080),
    DOMAIN_CLIENT: httpUrl(),
    DOMAIN_SERVER: httpUrl(),
    TRUST_PROXY: trustProxy(DEFAULT_TRUST_PROXY),
    IPV6_SUBNET_PREFIX: count(56, { min: 32, max: 128 }),
    APP_TITLE: str('Gatehouse'),
    BODY_LIMIT: byteSize('100kb'),
    LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    SHUTDOWN_TIMEOUT: duration(10_000, { max: 120_000 }),
    // How long readiness answers 503 before the listener closes, so load balancers stop routing (RL-14).
    SHUTDOWN_READINESS_DELAY: duration(2_000, { max: 60_000 }),
    // Slow clients (RL-18): Node's own limits, made explicit.
    HTTP_HEADERS_TIMEOUT: duration(20_000, { min: 1_000, max: 300_000 }),
    HTTP_REQUEST_TIMEOUT: duration(30_000, { min: 1_000, max: 600_000 }),
    HTTP_KEEP_ALIVE_TIMEOUT: duration(5_000, { min: 1_000, max: 600_000 }),
    MAX_CONNECTIONS_PER_ADDRESS: count(256, { min: 1, max: 100_000 }),
    // Swagger UI and the JSON document at /api/docs: on by default, off in production unless set to true.
    API_DOCS: optBool(),
    // Passkeys (issue 21): the WebAuthn relying party. Default: the host of DOMAIN_CLIENT, and the
    // origins of DOMAIN_CLIENT and DOMAIN_SERVER that lie within it.
    WEBAUTHN_RP_ID: optStr(),
    WEBAUTHN_ORIGINS: list([], { item: originOf, itemForm: 'an origin such as https://chat.example.com (scheme, host and port only)' }),
    // Test seam (NODE_ENV=test only): the process kills itself with SIGKILL at this point.
    TEST_CRASH_POINT: optStr(),
  })
  .superRefine((v, ctx) => {
    if (v.SHUTDOWN_READINESS_DELAY >= v.SHUTDOWN_TIMEOUT) {
      problem(
        ctx,
        'SHUTDOWN_READINESS_DELAY',
        `(${v.SHUTDOWN_READINESS_DELAY} ms) must be shorter than SHUTDOWN_TIMEOUT (${v.SHUTDOWN_TIMEOUT} ms), or the drain cannot finish`,
      );
    }
    if (v.HTTP_HEADERS_TIMEOUT > v.HTTP_REQUEST_TIMEOUT) {
      problem(ctx, 'HTTP_HEADERS_TIMEOUT', `(${v.HTTP_HEADERS_TIMEOUT} ms) must not exceed HTTP_REQUEST_TIMEOUT (${v.HTTP_REQUEST_TIMEOUT} ms)`);
    }
    const webauthn = relyingParty(v);
    if (v.WEBAUTHN_RP_ID !== undefined && !isDomainName(v.WEBAUTHN_RP_ID)) {
      problem(ctx, 'WEBAUTHN_RP_ID', `${JSON.stringify(v.WEBAUTHN_RP_ID)} is not a domain name (lower case, no scheme, port, path or IP address)`);
    } else if (v.WEBAUTHN_RP_ID !== undefined && !webauthn) {
      problem(
        ctx,
        'WEBAUTHN_ORIGINS',
        `neither DOMAIN_CLIENT nor DOMAIN_SERVER is an https (or localhost) origin within the RP ID ${JSON.stringify(v.WEBAUTHN_RP_ID)}; set WEBAUTHN_ORIGINS`,
      );
    } else if (v.WEBAUTHN_RP_ID === undefined && v.WEBAUTHN_ORIGINS.length > 0 && !webauthn) {
      problem(ctx, 'WEBAUTHN_RP_ID', 'is required with WEBAUTHN_ORIGINS when the host of DOMAIN_CLIENT cannot be an RP ID (an IP address)');
    }
    // Only origins the operator named can be wrong; derived ones that do not fit are left out.
    for (const origin of v.WEBAUTHN_ORIGINS) {
      // PK-09: a browser only lets a page use an RP ID that is its own host or a parent of it.
      if (webauthn && !withinRpId(origin, webauthn.rpId))
        problem(ctx, 'WEBAUTHN_ORIGINS', `${origin} is not within the RP ID ${JSON.stringify(webauthn.rpId)}`);
      else if (!secureOrLocal(origin)) problem(ctx, 'WEBAUTHN_ORIGINS', `${origin}: browsers offer passkeys only on https (or localhost)`);
    }
    if (v.TEST_CRASH_POINT !== undefined) {
      if (v.NODE_ENV !== 'test') problem(ctx, 'TEST_CRASH_POINT', 'is a test seam and is refused unless NODE_ENV=test');
      else if (!(CRASH_POINTS as readonly string[]).includes(v.TEST_CRASH_POINT))
        problem(ctx, 'TEST_CRASH_POINT', `${JSON.stringify(v.TEST_CRASH_POINT)} is not one of ${CRASH_POINTS.join(', ')}`);
    }
  })
  .transform((v) => {
    const domainServer = v.DOMAIN_SERVER ?? `http://localhost:${v.PORT || 3080}`;
    return {
      nodeEnv: v.NODE_ENV,
      isProduction: v.NODE_ENV.toLowerCase() === 'production',
      host: v.HOST,
      port: v.PORT,
      domainServer,
      domainClient: v.DOMAIN_CLIENT ?? domainServer,
      trustProxy: v.TRUST_PROXY,
      /** IPv6 clients are limited, scored and banned per network of this size (MB-15). */
      ipv6SubnetPrefix: v.IPV6_SUBNET_PREFIX,
      appTitle: v.APP_TITLE,
      bodyLimit: v.BODY_LIMIT,
      logLevel: v.LOG_LEVEL,
      shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT,
      shutdownReadinessDelayMs: v.SHUTDOWN_READINESS_DELAY,
      http: {
        headersTimeoutMs: v.HTTP_HEADERS_TIMEOUT,
        requestTimeoutMs: v.HTTP_REQUEST_TIMEOUT,
        keepAliveTimeoutMs: v.HTTP_KEEP_ALIVE_TIMEOUT,
        maxConnectionsPerAddress: v.MAX_CONNECTIONS_PER_ADDRESS,
      },
      /** Serve /api/docs and /api/docs-json (API_DOCS; default: everywhere but production). */
      apiDocs: v.API_DOCS ?? v.NODE_ENV.toLowerCase() !== 'production',
      testCrashPoint: (v.TEST_CRASH_POINT ?? null) as CrashPoint | null,
      /** The WebAuthn relying party of the passkeys module (validated above). */
      webauthn: relyingParty(v),
    };
  });

type RelyingPartyInput = { PORT: number; DOMAIN_SERVER?: string; DOMAIN_CLIENT?: string; WEBAUTHN_RP_ID?: string; WEBAUTHN_ORIGINS: string[] };

/**
 * RP ID and accepted origins: explicit, else derived from DOMAIN_CLIENT (and DOMAIN_SERVER when it
 * is within and https or localhost). Null (passkeys off, with a boot warning) when nothing is set
 * and no usable RP ID or origin can be derived (an IP address, plain http on a public host).
 */
export function relyingParty(v: RelyingPartyInput): { rpId: string; origins: string[] } | null {
  const domainServer = v.DOMAIN_SERVER ?? `http://localhost:${v.PORT || 3080}`;
  const domainClient = v.DOMAIN_CLIENT ?? domainServer;
  const rpId = v.WEBAUTHN_RP_ID ?? new URL(domainClient).hostname;
  if (!isDomainName(rpId)) return null;
  if (v.WEBAUTHN_ORIGINS.length > 0) return { rpId, origins: [...new Set(v.WEBAUTHN_ORIGINS)] };
  const derived = [new URL(domainClient).origin, new URL(domainServer).origin].filter((o) => withinRpId(o, rpId) && secureOrLocal(o));
  return derived.length > 0 ? { rpId, origins: [...new Set(derived)] } : null;
}

function withinRpId(origin: string, rpId: string): boolean {
  const host = new URL(origin).hostname;
  return host === rpId || host.endsWith(`.${rpId}`);
}

function isDomainName(value: string): boolean {
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(value) && !/^[0-9.]+$/.test(value);
}

function secureOrLocal(origin: string): boolean {
  const url = new URL(origin);
  return url.protocol === 'https:' || isLocalHost(url.hostname);
}

function isLocalHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]';
}

function originOf(raw: string): string | null {
  try {
    const url = new URL(raw);
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== raw.replace(/\/$/, '')) return null;
    return url.origin;
  } catch {
    return null;
  }
}

export type ServerSettings = z.output<typeof serverSchema>;
