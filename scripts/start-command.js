// The Node arguments `npm start` runs the service with, read from package.json's start script,
// so benchmarks and the tests that spawn the built server run it exactly as deployed (V8 flags
// included) without a second copy of those flags.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** `node --flag dist/main.js` → ['--flag', 'dist/main.js'] (paths relative to the package root). */
function startArgs() {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const words = scripts.start.trim().split(/\s+/);
  if (words[0] !== 'node' || words.some((w) => /["'$&|;<>]/.test(w)))
    throw new Error(`package.json start script is not a plain "node ..." command: ${scripts.start}`);
  return words.slice(1);
}

module.exports = { startArgs };
