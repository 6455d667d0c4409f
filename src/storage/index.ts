export * from './ports';
export * from './storage.module';
export * from './storage.options';
export * from './storage.tokens';
export { TokenCipher } from './token-cipher';
export { StorageJanitor } from './storage-janitor';
export { StoreUnavailableError, isStoreUnavailable } from './store-errors';
export { StoreChangeFeed, type StoreChange } from './store-change-feed';
export { RedisConnection } from './redis';
