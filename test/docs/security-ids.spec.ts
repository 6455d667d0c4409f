import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * A reader of the repository alone must be able to follow every reference the code makes:
 * security case ids resolve to rows of docs/security.md, LibreChat defects (D-N) to rows of
 * docs/librechat-differences.md, `docs/….md#anchor` links to a real heading, and nothing points
 * at documents outside the repository.
 */
const ROOT = resolve(__dirname, '../..');
const SELF = relative(ROOT, __filename);
const SOURCE_EXT = /\.(ts|js|mjs|cjs)$/;

function walk(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...walk(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out;
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const code = [...walk('src', (p) => SOURCE_EXT.test(p)), ...walk('test', (p) => SOURCE_EXT.test(p))];
const docs = walk('docs', (p) => p.endsWith('.md'));
const everything = [...code, ...docs, 'README.md', '.env.example'];

/** First cells of the table rows of a page: `| PW-01 | …` → PW-01. */
function rowIds(page: string): Set<string> {
  return new Set([...read(page).matchAll(/^\|\s*([A-Z]{1,3}-\d{1,2})\s*\|/gm)].map((m) => m[1]));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(page: string): Set<string> {
  const slugs = new Set<string>();
  for (const [, heading] of read(page).matchAll(/^#{1,6}\s+(.+)$/gm)) {
    slugs.add(
      heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return slugs;
}

function occurrences(files: string[], pattern: RegExp): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of files) {
    if (file === SELF) continue;
    for (const m of read(file).matchAll(pattern)) found.set(m[1] ?? m[0], [...(found.get(m[1] ?? m[0]) ?? []), file]);
  }
  return found;
}

const catalogue = rowIds('docs/security.md');
const defects = rowIds('docs/librechat-differences.md');
// The catalogue's own prefixes, plus those of the areas it started with.
const prefixes = new Set(['PW', 'EN', 'RS', 'SE', 'JW', 'OC', 'CS', 'TR', 'LO', 'SO', 'MB', 'RL', 'LG']);
for (const id of catalogue) prefixes.add(id.split('-')[0]);
const caseId = new RegExp(`\\b((?:${[...prefixes].join('|')})-\\d{2})\\b`, 'g');

describe('references resolve inside the repository', () => {
  it('every security case id cited in src/ or test/ has a row in docs/security.md', () => {
    const cited = occurrences(code, caseId);
    expect(cited.size).toBeGreaterThan(50);
    const missing = [...cited].filter(([id]) => !catalogue.has(id)).map(([id, files]) => `${id} (${files[0]})`);
    expect(missing).toEqual([]);
  });

  it('every file a catalogue row names exists and cites that row’s id', () => {
    const problems: string[] = [];
    for (const line of read('docs/security.md').split('\n')) {
      const id = /^\|\s*([A-Z]{2,3}-\d{2})\s*\|/.exec(line)?.[1];
      if (!id) continue;
      for (const [, path] of line.matchAll(/`((?:src|test)\/[^`\s]+\.\w+)`/g)) {
        if (!existsSync(join(ROOT, path))) problems.push(`${id}: ${path} does not exist`);
        else if (!new RegExp(`\\b${id}\\b`).test(read(path))) problems.push(`${id}: ${path} does not cite it`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every LibreChat defect D-N cited anywhere is described in docs/librechat-differences.md', () => {
    const cited = occurrences(everything, /\bD-(\d{1,2})\b/g);
    expect(cited.size).toBeGreaterThan(10);
    const missing = [...cited].filter(([n]) => !defects.has(`D-${n}`)).map(([n, files]) => `D-${n} (${files[0]})`);
    expect(missing).toEqual([]);
  });

  it('no file cites the LibreChat study by section (spec §…) or a document outside the repository', () => {
    const outside = [
      /\bspec\s*§/i, // the former "spec §11.21" style
      /\bLibreChat\s+§/,
      /§\s*11\.\d+/,
      /\/work\//,
      /\bshared\/(?:spec|seeds|hooks)\b/,
      /\bDESIGN\.md\b/,
      /\b(?:security-cases|librechat-auth|toolchain-notes|peers)\.md\b/,
    ];
    const hits = everything.flatMap((file) => (file === SELF ? [] : outside.filter((re) => re.test(read(file))).map((re) => `${file}: ${re}`)));
    expect(hits).toEqual([]);
  });

  it('every docs/….md link and anchor points at an existing file and heading', () => {
    const broken: string[] = [];
    const check = (from: string, target: string, anchor: string | undefined) => {
      if (!existsSync(join(ROOT, target))) broken.push(`${from}: ${target}`);
      else if (anchor && !anchors(target).has(anchor)) broken.push(`${from}: ${target}#${anchor}`);
    };
    for (const file of everything) {
      if (file === SELF) continue;
      const text = read(file);
      // Repository-relative mentions, as code comments and test names write them.
      for (const [, target, anchor] of text.matchAll(/\b(docs\/[\w-]+\.md)(?:#([\w-]+))?/g)) check(file, target, anchor);
      // Relative Markdown links between pages.
      if (file.endsWith('.md')) {
        for (const [, target, anchor] of text.matchAll(/\]\(((?:\.\.\/)*[\w-]+\.md)(?:#([\w-]+))?\)/g)) check(file, join(dirname(file), target), anchor);
      }
    }
    expect(broken).toEqual([]);
  });
});
