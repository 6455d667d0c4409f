import { z } from 'zod';
import { byteSize, count, duration, httpUrl, oneOf, port, str, trustProxy } from '../fields/env-fields';

/**
 * Peers whose X-Forwarded-For is believed by default: the host itself and private networks, where
 * a reverse proxy usually sits. A client on a public address connecting directly cannot choose its
 * address (MB-14); a proxy elsewhere must be named (or counted) in TRUST_PROXY.
 */
export const DEFAULT_TRUST_PROXY = ['loopback', 'linklocal', 'uniquelocal'];

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
    };
  });

export type ServerSettings = z.output<typeof serverSchema>;
