export * from './slapd.harness';
