export * from './fake-oauth-server';
export * from './fake-providers';
export * from './social-login';
export * from './fake-apple';
