#!/usr/bin/env node
// Writes the OpenAPI document of the default-configured app (built, not listening) to
// docs/openapi.json and generates the typed client's types from it into
// test/support/api/gatehouse-api.ts (committed; `npm run typecheck` compiles the tests that use
// it, and test/e2e/contract/typed-client.e2e.spec.ts fails when it is stale).
// Usage: npm run api:generate
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
execFileSync(process.execPath, [path.join(root, 'scripts', 'ensure-build.js')], { stdio: 'inherit' });

async function main() {
  const { loadConfig } = require(path.join(root, 'dist', 'config'));
  const { createApp } = require(path.join(root, 'dist', 'app.factory'));
  const { buildApiDocument } = require(path.join(root, 'dist', 'common', 'openapi'));
  const { generateApiTypes } = require('./api-types');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-openapi-'));
  const loaded = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', DATA_DIR: dataDir });
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const app = await createApp(loaded.config);
  await app.init();
  try {
    const document = buildApiDocument(app, loaded.config.server.appTitle);
    fs.writeFileSync(path.join(root, 'docs', 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
    fs.mkdirSync(path.join(root, 'test', 'support', 'api'), { recursive: true });
    fs.writeFileSync(path.join(root, 'test', 'support', 'api', 'gatehouse-api.ts'), await generateApiTypes(document));
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.stdout.write('wrote docs/openapi.json and test/support/api/gatehouse-api.ts\n');
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
