export * from './cookie-jar';
export * from './http-client';
