export { RedisConnection, type RedisStorageOptions } from './redis-connection';
export { REDIS_SERVED_PORTS, RedisStorageModule } from './redis-storage.module';
