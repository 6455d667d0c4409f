import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEnv } from 'node:util';
import { loadConfig, type LoadResult } from './load-config';

/**
 * The single place that reads `process.env` (enforced by the linter). Like LibreChat, a `.env`
 * file in the working directory is read too (`ENV_FILE` names another file; `ENV_FILE=none`
 * turns this off); variables already set in the environment win over the file.
 */
export function loadConfigFromProcess(): LoadResult {
  const fileSetting = process.env.ENV_FILE?.trim() || '.env';
  const fileVars: Record<string, string> = {};
  const problems: string[] = [];
  if (fileSetting !== 'none') {
    const file = path.resolve(fileSetting);
    if (fs.existsSync(file)) {
      try {
        Object.assign(fileVars, parseEnv(fs.readFileSync(file, 'utf8')));
      } catch (error) {
        problems.push(`ENV_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    } else if (process.env.ENV_FILE?.trim()) {
      problems.push(`ENV_FILE: ${JSON.stringify(fileSetting)} does not exist; expected the path of a dotenv file, or none`);
    }
  }
  if (problems.length) return { ok: false, problems, warnings: [] };
  return loadConfig({ ...fileVars, ...process.env });
}
