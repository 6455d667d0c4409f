export * from './config.types';
export { ConfigModule } from './config.module';
export { loadConfig, type Env, type LoadResult } from './load-config';
export { loadConfigFromProcess } from './read-environment';
export { isLocalHost } from './warnings';
export type { AppleSettings } from './schemas/apple.schema';
export type { LdapDirectorySettings } from './schemas/ldap.schema';
export { SOCIAL_PROVIDERS, type SocialProviderName } from './schemas/social.schema';
export { CRASH_POINTS, type CrashPoint } from './schemas/server.schema';
