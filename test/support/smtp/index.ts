export * from './certificate';
export * from './smtp-server.harness';
