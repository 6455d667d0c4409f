export * from './complete-login';
export * from './oidc-provider.harness';
export * from './test-client';
export * from './tokens';
