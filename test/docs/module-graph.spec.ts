import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The module rules of docs/architecture.md, checked on the code:
 * - a module uses another only through its public surface (its `index.ts` or a `*.module.ts`);
 *   `common/` is a shared kernel of small units, each top-level file or folder (through its
 *   `index.ts`) public, nothing deeper;
 * - the graph of modules has no cycle;
 * - the module table of docs/architecture.md lists exactly the folders of src/.
 * Unit specs (`*.spec.ts`) may reach into what they test and are not checked.
 */
const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');
const KERNEL = 'common';

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

/** Relative specifiers of `import … from`, `export … from`, `import(…)` and `require(…)`. */
function importsOf(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)'(\.{1,2}\/[^']*)'/g;
  for (let m = pattern.exec(source); m; m = pattern.exec(source)) found.push(m[1]);
  return found;
}

/** `src/a/b/c.ts` → `a/b/c` (no extension); a folder import resolves to its `index`. */
function resolveTarget(fromFile: string, specifier: string): string {
  const base = resolve(dirname(fromFile), specifier);
  const asFolder = existsSync(base) && statSync(base).isDirectory();
  return relative(SRC, asFolder ? join(base, 'index') : base.replace(/\.(ts|js)$/, ''))
    .split('\\')
    .join('/');
}

/** The module a path belongs to; each unit of the shared kernel (`common/clock`, `common/errors.ts`…) is a node of its own. */
function moduleOf(path: string): string | null {
  const parts = path.split('/');
  if (parts.length === 1) return null;
  return parts[0] === KERNEL ? `${KERNEL}/${parts[1]}` : parts[0];
}

/** Whether `target` (inside another module) is that module's public surface. */
function isPublic(target: string): boolean {
  const parts = target.split('/');
  if (parts[0] === KERNEL) {
    // common/<file> or common/<unit>/index
    return parts.length === 2 || (parts.length === 3 && parts[2] === 'index');
  }
  return parts.length === 2 && (parts[1] === 'index' || parts[1].endsWith('.module'));
}

interface Edge {
  file: string;
  target: string;
}

const files = walk(SRC);
const edges: Edge[] = files.flatMap((file) =>
  importsOf(readFileSync(file, 'utf8')).map((specifier) => ({ file: relative(SRC, file), target: resolveTarget(file, specifier) })),
);
const crossModule = edges.filter((e) => {
  const from = moduleOf(e.file);
  const to = moduleOf(e.target);
  return from !== null && to !== null && from !== to;
});
/** Imports between modules, kernel units included (a kernel unit importing another kernel unit is an edge too). */

function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return null;
}

function graphOf(list: Edge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const e of list) {
    const from = moduleOf(e.file) as string;
    if (!graph.has(from)) graph.set(from, new Set());
    graph.get(from)?.add(moduleOf(e.target) as string);
  }
  return graph;
}

/** First-column folders of the module table: `| \`auth/\` | present | …` → auth, common/errors. */
function documentedModules(): string[] {
  const page = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const section = page.slice(page.indexOf('## Modules'), page.indexOf('\n## ', page.indexOf('## Modules') + 1));
  return [...section.matchAll(/^\| `([a-z0-9/-]+)\/`/gm)].map((m) => m[1]);
}

describe('module graph (docs/architecture.md, rules of the house)', () => {
  it('sees the import edges it checks', () => {
    // Guards the parser itself: the composition root imports modules, and modules import each other.
    expect(edges.some((e) => e.file === 'app.module.ts' && e.target === 'auth/index')).toBe(true);
    expect(crossModule.length).toBeGreaterThan(50);
  });

  it('imports another module only through its index.ts or module file', () => {
    const privateImports = crossModule.filter((e) => !isPublic(e.target)).map((e) => `${e.file} -> ${e.target}`);
    expect(privateImports).toEqual([]);
  });

  it('has no cycle between modules', () => {
    expect(findCycle(graphOf(crossModule))).toBeNull();
  });

  it('finds a cycle when there is one (the checker can fail)', () => {
    const planted = [...crossModule, { file: 'config/planted.ts', target: 'auth/index' }];
    expect(findCycle(graphOf(planted))).not.toBeNull();
    expect(isPublic('social/login-provider.registry')).toBe(false);
    expect(isPublic('common/errors/http-error.filter')).toBe(false);
  });

  it('the module table of docs/architecture.md matches the folders of src/', () => {
    const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
    const documented = documentedModules();
    // Every documented folder exists (kernel units like common/errors/ included) …
    expect(documented.filter((path) => !existsSync(join(SRC, path)))).toEqual([]);
    // … and every folder of src/ has its row.
    expect(folders.filter((name) => !documented.includes(name)).sort()).toEqual([]);
  });

  it('every module except the shared kernel has a public surface', () => {
    const folders = readdirSync(SRC).filter((name) => name !== KERNEL && statSync(join(SRC, name)).isDirectory());
    const withoutSurface = folders.filter((name) => !readdirSync(join(SRC, name)).some((f) => f === 'index.ts' || f.endsWith('.module.ts')));
    expect(withoutSurface).toEqual([]);
  });
});
