export * from './user.repository';
export * from './session.repository';
export * from './one-time-token.repository';
export * from './moderation.repository';
export * from './key-value.store';
export * from './outbox.repository';
export * from './idp-token.vault';
export * from './store-lifecycle';
