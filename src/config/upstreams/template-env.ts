import type { Env } from '../load-config';

/**
 * Variables `${VAR}` may never read, whatever a config file says (LibreChat's list, docs/librechat-differences.md#template-variables, extended to
 * every secret Gatehouse itself holds): signing and encryption keys, store credentials, client
 * secrets of every provider, the mail password.
 */
const DENIED = new Set([
  'JWT_SECRET',
  'JWT_REFRESH_SECRET',
  'CREDS_KEY',
  'CREDS_IV',
  'MEILI_MASTER_KEY',
  'MONGO_URI',
  'REDIS_URI',
  'REDIS_PASSWORD',
  'EMAIL_PASSWORD',
  'OPENID_SESSION_SECRET',
]);

export function isDeniedTemplateVariable(name: string): boolean {
  return DENIED.has(name) || /_CLIENT_SECRET$/.test(name) || /_SESSION_SECRET$/.test(name);
}

/** The environment as `${VAR}` sees it: a frozen snapshot without the denied variables. */
export function templateEnvironment(env: Env): Readonly<Record<string, string>> {
  const visible: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isDeniedTemplateVariable(name)) visible[name] = value;
  }
  return Object.freeze(visible);
}
