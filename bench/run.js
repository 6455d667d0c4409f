// `npm run bench`: runs every bench/*.bench.js in turn (or those named on the command line)
// and prints one table per benchmark. Benchmarks talk to loopback only and are bounded in time.
const fs = require('node:fs');
const path = require('node:path');
const { primeCodeCache } = require('./lib/server-process');

async function main() {
  const only = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  await primeCodeCache();
  for (const file of files) {
    const name = file.replace(/\.bench\.js$/, '');
    process.stdout.write(`\n## ${name}\n`);
    const rows = await require(path.join(__dirname, file))();
    const width = Math.max(...rows.map((r) => r.metric.length));
    for (const row of rows) process.stdout.write(`${row.metric.padEnd(width)}  ${String(row.value).padStart(10)} ${row.unit}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error.stack || error}\n`);
  process.exit(1);
});
