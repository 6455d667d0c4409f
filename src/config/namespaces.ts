import { registerAs, type ConfigFactory, type ConfigType } from '@nestjs/config';
import type { GatehouseConfig } from './config.types';

/** The parts of GatehouseConfig registered as @nestjs/config namespaces (everything but the boot warnings). */
export type NamespaceName = Exclude<keyof GatehouseConfig, 'warnings'>;

/** A namespace holds an object; Apple's settings are null when it is off, so its namespace wraps them. */
export type NamespaceValue<K extends NamespaceName> = K extends 'apple' ? { settings: GatehouseConfig['apple'] } : GatehouseConfig[K];

function valueOf<K extends NamespaceName>(config: GatehouseConfig, name: K): NamespaceValue<K> {
  return (name === 'apple' ? { settings: config.apple } : config[name]) as NamespaceValue<K>;
}

export const NAMESPACE_NAMES = [
  'server',
  'secrets',
  'session',
  'registration',
  'mail',
  'openid',
  'openidProviders',
  'social',
  'saml',
  'apple',
  'ldap',
  'moderation',
  'storage',
  'templates',
  'operations',
] as const satisfies readonly NamespaceName[];

/**
 * A namespace's injection handle: `@Inject(sessionConfig.KEY) s: ConfigType<typeof sessionConfig>`.
 * The values are parsed and checked by loadConfig() before Nest starts (so every bad variable is
 * named before anything is constructed or listens); this factory is only the typed token, and
 * ConfigModule.forRoot(config) registers the same key with the app's validated value. Reading it
 * outside that module is a programming error, so it says so instead of returning undefined.
 */
function namespace<K extends NamespaceName>(name: K) {
  return registerAs(name, (): NamespaceValue<K> => {
    throw new Error(`config namespace "${name}" is provided by ConfigModule.forRoot(config), not loaded on its own`);
  });
}

export const serverConfig = namespace('server');
export const secretsConfig = namespace('secrets');
export const sessionConfig = namespace('session');
export const registrationConfig = namespace('registration');
export const mailConfig = namespace('mail');
export const openidConfig = namespace('openid');
export const openidProvidersConfig = namespace('openidProviders');
export const socialConfig = namespace('social');
export const samlConfig = namespace('saml');
export const appleConfig = namespace('apple');
export const ldapConfig = namespace('ldap');
export const moderationConfig = namespace('moderation');
export const storageConfig = namespace('storage');
export const templatesConfig = namespace('templates');
export const operationsConfig = namespace('operations');

export type SessionConfigType = ConfigType<typeof sessionConfig>;

/** One registerAs factory per namespace returning this app's validated value (same keys as above). */
export function namespaceFactories(config: GatehouseConfig): ConfigFactory[] {
  return NAMESPACE_NAMES.map((name) => registerAs(name, () => valueOf(config, name)));
}
