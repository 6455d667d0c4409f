import { z } from 'zod';
import { byteSize, duration, httpUrl, oneOf, port, str, trustProxy } from '../fields/env-fields';

export const serverSchema = z
  .object({
    NODE_ENV: str('development'),
    HOST: str('127.0.0.1'),
    PORT: port(3080),
    DOMAIN_CLIENT: httpUrl(),
    DOMAIN_SERVER: httpUrl(),
    TRUST_PROXY: trustProxy(1),
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
      appTitle: v.APP_TITLE,
      bodyLimit: v.BODY_LIMIT,
      logLevel: v.LOG_LEVEL,
      shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT,
    };
  });

export type ServerSettings = z.output<typeof serverSchema>;
