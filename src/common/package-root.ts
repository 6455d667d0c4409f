import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The folder holding the service's package.json (and `web/`), found by walking up from this file:
 * the depth differs between `src/` (tests), the compiled tree and the single-file bundle in `dist/`
 * (scripts/bundle.js), so no fixed number of `..` fits all three.
 */
export function findPackageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT: string = findPackageRoot();
