export * from './config.types';
export { ConfigModule } from './config.module';
export { loadConfig, type Env, type LoadResult } from './load-config';
export { loadConfigFromProcess } from './read-environment';
export { isLocalHost } from './warnings';
export { SOCIAL_PROVIDERS, type SocialProviderName } from './schemas/social.schema';
export { CRASH_POINTS, type CrashPoint } from './schemas/server.schema';
