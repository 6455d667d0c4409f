import type { LoadResult } from '../../src/config/load-config';

/** The problems of a configuration that must be refused (fails the test if it was accepted). */
export function problemsOf(result: LoadResult): string[] {
  if (result.ok) throw new Error('expected the configuration to be refused');
  return result.problems;
}

/** The config of a configuration that must be accepted (fails the test with its problems otherwise). */
export function configOf(result: LoadResult) {
  if (!result.ok) throw new Error(`expected a valid configuration, got:\n${result.problems.join('\n')}`);
  return result.config;
}
