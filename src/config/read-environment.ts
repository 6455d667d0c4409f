import { loadConfig, type LoadResult } from './load-config';

/** The single place that reads `process.env` (enforced by the linter). */
export function loadConfigFromProcess(): LoadResult {
  return loadConfig({ ...process.env });
}
