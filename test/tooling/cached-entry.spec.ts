import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ENTRY = path.resolve(__dirname, '../../scripts/cached-entry.js');
const PADDING_BYTES = 3 * 1024 * 1024;
/** Enough functions, each run once, for a code cache of a few MB. */
const FUNCTIONS = 10_000;
const MiB = 1024 * 1024;

interface Reading {
  state: string;
  external: number;
  arrayBuffers: number;
}

/**
 * The code-cache entry (scripts/cached-entry.js) in front of a stand-in bundle of a few MB. The
 * stand-in runs a full collection first thing and reports the memory held outside the V8 heap:
 * the entry's own reads of the bundle and of the cache must be garbage by then, or they stay
 * resident for the life of an idle service (idle RSS, issue 17).
 */
describe('the code-cache entry (scripts/cached-entry.js)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-entry-'));
    fs.writeFileSync(path.join(dir, 'main.js'), fs.readFileSync(ENTRY, 'utf8').replace("'__BUNDLE__'", JSON.stringify('main.bundle.js')));
    const report = `gc();const m=process.memoryUsage();process.stdout.write(JSON.stringify({external:m.external,arrayBuffers:m.arrayBuffers})+'\\n');`;
    // The first start writes the cache 2 s after the service says it is warm; the stand-in says so at once.
    const warm = `process.emit('gatehouse:warm');setTimeout(()=>{},2500);`;
    const code = Array.from({ length: FUNCTIONS }, (_, i) => `function f${i}(a){return a*${i}+${i % 7}}f${i}(1);`).join('');
    fs.writeFileSync(path.join(dir, 'main.bundle.js'), `/*${'x'.repeat(PADDING_BYTES)}*/\n${code}\n${report}${warm}\n`);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function start(): Reading {
    const out = execFileSync(process.execPath, ['--expose-gc', path.join(dir, 'main.js')], {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'debug' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out.trim().split('\n').pop() as string) as Reading;
  }

  it('holds neither the bundle text it read nor the cache file once the bundle runs', () => {
    const first = start();
    const cacheBytes = fs.statSync(path.join(dir, 'main.bundle.js.v8cache')).size;
    expect(cacheBytes).toBeGreaterThan(MiB);
    const second = start();
    // The compiled script keeps its own copy of the source inside the V8 heap; the Latin-1 read
    // (an external string, outside it) and the cache buffer must not survive the collection.
    expect(first.external).toBeLessThan(2 * MiB);
    expect(second.external).toBeLessThan(2 * MiB);
    expect(second.arrayBuffers).toBeLessThan(cacheBytes / 4);
  });
});
