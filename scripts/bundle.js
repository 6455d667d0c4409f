#!/usr/bin/env node
// Bundles the compiled entry points (dist/compiled/main.js, dist/compiled/cli.js, emitted by tsc,
// which keeps the decorator metadata Nest needs) into single files dist/main.bundle.js (run by the
// code-cache entry dist/main.js, from scripts/cached-entry.js) and dist/cli.js.
// Why: resolving, reading and compiling ~1,400 separate files was most of the boot time
// (docs/benchmarks.md). What stays outside the bundle, loaded from node_modules at run time:
// - native addons (they cannot be bundled);
// - packages the code requires only when a feature is configured or used (ON_DEMAND): inside the
//   bundle they would be parsed and held in memory by every start;
// - optional packages that are not installed (Nest and its libraries probe for them in try/catch).
const esbuild = require('esbuild');
const { isAscii } = require('node:buffer');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const compiled = path.join(root, 'dist', 'compiled');
const outdir = path.join(root, 'dist');

const NATIVE = ['better-sqlite3', 'bcrypt'];
const ON_DEMAND = [
  // storage adapters and directory/IdP clients, required by the code only when configured
  'mongoose',
  '@nestjs/mongoose',
  'ioredis',
  'ldapts',
  '@node-saml/node-saml',
  'jwks-rsa',
  'qrcode',
  '@simplewebauthn/server',
  'undici',
  'https-proxy-agent',
  'agent-base',
  // the SMTP transport (mail/transport/smtp-mail.sender.ts)
  '@nestjs-modules/mailer',
  'nodemailer',
  // serves swagger-ui's files from its own folder (__dirname), which bundling would move to dist/
  'swagger-ui-dist',
  // CONFIG_PATH's YAML parser and the SAML response parser
  'yaml',
  '@xmldom/xmldom',
  // the mailer's e-mail preview (never enabled here) and iconv-lite's charset tables (loaded per charset)
  'preview-email',
  'iconv-lite',
  // cosmiconfig's loaders for TypeScript config files and its formatter (nest-commander, CLI only)
  'typescript',
  'prettier',
];

/**
 * Modules that a bundled library requires at load time but whose exports it only touches when
 * called: class-validator's IsPhoneNumber requires libphonenumber-js's full metadata at boot,
 * a validator this service never uses. The bundle gets a stand-in that requires the real module
 * (from node_modules, by its exact path) on the first access to any of its exports.
 */
const DEFERRED = ['libphonenumber-js/max'];

const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

const relativeToDist = (file) => `./${path.relative(outdir, file).split(path.sep).join('/')}`;

/**
 * Keeps a package out of the bundle by the exact file the importer would have loaded, written
 * relative to dist/: a nested copy (node_modules/a/node_modules/b) stays the version its importer
 * declared, and the bundle still works wherever dist/ and node_modules/ sit side by side.
 */
const outside = {
  name: 'outside',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point' || args.path.startsWith('node:')) return undefined;
      const name = packageOf(args.path);
      let resolved;
      try {
        resolved = require.resolve(args.path, { paths: [args.resolveDir] });
      } catch {
        // Not installed: an optional peer probed in try/catch; it fails at run time just as before.
        return { path: args.path, external: true };
      }
      if (!path.isAbsolute(resolved)) return undefined; // a Node built-in
      if (DEFERRED.includes(args.path)) return { path: relativeToDist(resolved), namespace: 'deferred' };
      if (!NATIVE.includes(name) && !ON_DEMAND.includes(name)) return undefined;
      return { path: relativeToDist(resolved), external: true };
    });
    build.onResolve({ filter: /.*/, namespace: 'deferred' }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'deferred' }, (args) => ({
      contents: `let real;\nconst load = () => (real ??= require(${JSON.stringify(args.path)}));\nmodule.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });\n`,
      loader: 'js',
    }));
  },
};

/**
 * Nest's Logger and ConsoleLogger modules each build an Intl.DateTimeFormat when they load, which
 * every start pays (about 25 ms of ICU set-up each) although this service logs through pino and
 * never formats a Nest console timestamp. The bundle gets the same formatters, built on first use.
 * The build fails if a Nest release changes those lines, so the rewrite never silently stops matching.
 */
const NEST_LOGGERS = /[\\/]@nestjs[\\/]common[\\/]services[\\/](console-)?logger\.service\.js$/;
const EAGER_FORMATTER = 'const dateTimeFormatter = new Intl.DateTimeFormat(';
const LAZY_FORMATTER =
  'const lazyDateTimeFormat = (locales, options) => { let real; return { format: (date) => (real ??= new Intl.DateTimeFormat(locales, options)).format(date) }; };\n' +
  'const dateTimeFormatter = lazyDateTimeFormat(';

const lazyFormatter = {
  name: 'lazy-date-formatter',
  setup(build) {
    build.onLoad({ filter: NEST_LOGGERS }, (args) => {
      const source = fs.readFileSync(args.path, 'utf8');
      if (source.split(EAGER_FORMATTER).length !== 2)
        throw new Error(`${args.path}: the eager Intl.DateTimeFormat this build defers is gone; update scripts/bundle.js`);
      return { contents: source.replace(EAGER_FORMATTER, LAZY_FORMATTER), loader: 'js' };
    });
  },
};

/**
 * esbuild escapes non-ASCII characters in strings but not in regular expression literals (e.g.
 * validator's alphabets). One such character makes V8 hold the whole multi-megabyte source as a
 * two-byte string, doubling its memory; a \\uXXXX escape means the same code unit in any literal.
 * The entry also relies on it: it reads the bundle as Latin-1, much faster than as UTF-8.
 */
const asciiOnly = (text) => {
  const ascii = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // The entry reads the bundle as Latin-1 (scripts/cached-entry.js), which is only right for ASCII.
  if (!isAscii(Buffer.from(ascii, 'utf8'))) throw new Error('the bundle is not ASCII after escaping');
  return ascii;
};

/**
 * keepNames wraps named functions and classes in `__name(fn, "name")`, whose helper redefines
 * `name` on every call. Arrow functions created per request (in Fastify, in Nest's execution
 * context, in this service) then pay an Object.defineProperty each, which cost GET /health about a
 * third of its throughput. The helper below still names every class and every function that can
 * be a constructor (what Nest, its loggers and DI messages read, e.g. `Logger_1 = class` must stay
 * "Logger"); arrow functions, async functions and methods keep the name V8 gave them, which for
 * a wrapped arrow is none: in a stack trace such a frame reads `<anonymous>` at its bundle line.
 * It asks whether the function has its own `prototype` rather than reading it: V8 creates a
 * function's prototype object, and a hidden class for it in old space, on the first read, which for
 * function expressions made per call (jsonwebtoken's callbacks) was garbage on every request.
 */
const NAME_HELPER = 'var __name=(target,value)=>__defProp(target,"name",{value,configurable:!0});';
const NAME_HELPER_LEAN =
  'var __name=(target,value)=>target.name===value||!Object.prototype.hasOwnProperty.call(target,"prototype")?target:__defProp(target,"name",{value,configurable:!0});';

function namesWhereRead(text) {
  const count = text.split(NAME_HELPER).length - 1;
  if (count !== 1) throw new Error(`expected esbuild's __name helper once in the bundle, found it ${count} times (esbuild changed its output?)`);
  return text.replace(NAME_HELPER, NAME_HELPER_LEAN);
}

async function bundle(entry, outName = `${entry}.js`) {
  const result = await esbuild.build({
    write: false,
    entryPoints: [path.join(compiled, `${entry}.js`)],
    outfile: path.join(outdir, outName),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Nest names loggers and reports DI errors by class name; bundling must not rename classes.
    keepNames: true,
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [outside, lazyFormatter],
  });
  for (const file of result.outputFiles) fs.writeFileSync(file.path, file.path.endsWith('.js') ? asciiOnly(namesWhereRead(file.text)) : file.contents);
}

async function main() {
  if (!fs.existsSync(path.join(compiled, 'main.js'))) throw new Error('dist/compiled/main.js is missing: run tsc -p tsconfig.build.json first');
  // The service's bundle sits behind a small entry that compiles it with V8's code cache
  // (scripts/cached-entry.js); the CLI runs for seconds at most and is loaded directly.
  await Promise.all([bundle('main', 'main.bundle.js'), bundle('cli')]);
  // A cache of an older bundle would only be rejected; the source map of the former single-file entry is gone too.
  for (const stale of fs.readdirSync(outdir).filter((name) => name.endsWith('.v8cache') || name === 'main.js.map')) fs.rmSync(path.join(outdir, stale));
  const entry = fs.readFileSync(path.join(__dirname, 'cached-entry.js'), 'utf8').replace("'__BUNDLE__'", JSON.stringify('main.bundle.js'));
  fs.writeFileSync(path.join(outdir, 'main.js'), entry);
}

main().catch((error) => {
  process.stderr.write(`bundle failed: ${error.message}\n`);
  process.exit(1);
});
