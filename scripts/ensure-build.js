#!/usr/bin/env node
// Builds dist/ when it is missing or older than any source file or build setting, so `npm start`
// works on a fresh clone: tsc compiles src/ into dist/compiled/, then scripts/bundle.js makes the
// single-file entry points dist/main.js and dist/cli.js from it.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outputs = ['main.js', 'cli.js'].map((name) => path.join(root, 'dist', name));

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

const built = Math.min(...outputs.map((file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0)));
const settings = ['tsconfig.json', 'tsconfig.build.json', 'scripts/bundle.js', 'scripts/cached-entry.js', 'package-lock.json'].map(
  (f) => fs.statSync(path.join(root, f)).mtimeMs,
);
const sources = Math.max(newestMtime(path.join(root, 'src')), ...settings);
if (built < sources) {
  process.stderr.write('gatehouse: building dist/ ...\n');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(root, 'scripts', 'bundle.js')], { cwd: root, stdio: 'inherit' });
  const now = new Date();
  for (const file of outputs) fs.utimesSync(file, now, now);
}
