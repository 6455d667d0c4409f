// The entry point scripts/bundle.js writes as dist/<entry>.js, in front of the bundle
// (dist/<entry>.bundle.js). It runs the bundle exactly as Node would load it (the CommonJS
// wrapper, its own require, __filename and __dirname), but compiles it with V8's code cache when
// one is on disk: compiling the multi-megabyte bundle and its functions is a large share of a
// cold start. The service asks for the cache to be written once it is listening
// (`process.emit('gatehouse:warm')`; written two seconds later), so the cache holds every function
// the start and the first requests needed; a cache
// V8 rejects (another Node version, other flags, a rebuilt bundle) is replaced the same way.
// Writing is best effort: a read-only dist/ only means every start compiles from source.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const filename = path.join(__dirname, '__BUNDLE__');
const cacheFile = `${filename}.v8cache`;
/**
 * Compiles the bundle, with the cache when there is one. The source text and the cache file are
 * read inside this function so that nothing refers to them once it returns: the compiled script
 * keeps its own copy of the source, and the two buffers read here (about 11 MB together) are then
 * garbage that the young generation's next collection frees. Held by the entry while the bundle
 * runs its start-up, they would survive into the old generation and stay resident until a full
 * collection, which an idle service may not run for a long time.
 */
function compile() {
  // scripts/bundle.js writes the bundle in ASCII only (every other character escaped, and checked
  // there), and ASCII read as Latin-1 is the same text, decoded several times faster than through
  // the UTF-8 decoder (about 13 ms against 75 ms for this file).
  const source = fs.readFileSync(filename, 'latin1');
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename, cachedData });
  const rejected = Boolean(cachedData) && script.cachedDataRejected;
  const state = !cachedData ? 'none on disk; compiled from source' : rejected ? 'rejected; compiled from source' : 'used';
  return { script, state, needsCache: !cachedData || rejected };
}

const { script, state, needsCache } = compile();
// The service's logger does not exist yet: a line in its shape, at debug only.
if (/^(debug|trace)$/.test(process.env.LOG_LEVEL || '')) {
  process.stderr.write(`${JSON.stringify({ level: 20, time: Date.now(), pid: process.pid, context: 'CodeCache', msg: `code cache ${state}` })}\n`);
}
if (needsCache) {
  const write = () => {
    try {
      const temp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(temp, script.createCachedData());
      fs.renameSync(temp, cacheFile);
    } catch {
      // Not writable (a read-only image): the next start compiles from source again.
    }
  };
  // A moment after the first requests, so they are not kept waiting and their code is in the cache too.
  process.once('gatehouse:warm', () => setTimeout(write, 2000).unref());
}
const bundleModule = new Module(filename, module);
bundleModule.filename = filename;
bundleModule.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext()(bundleModule.exports, Module.createRequire(filename), bundleModule, filename, __dirname);
