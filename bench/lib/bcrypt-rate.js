// The ceiling for password sign-ins on this machine: how many bcrypt.compare calls per second the
// native binding sustains when every libuv thread is busy. Runs in its own process so that its
// thread pool is sized like the server's and nothing else in the bench process competes with it.
//
// Usage: node bcrypt-rate.js <cost> <concurrency> <durationMs>; prints one JSON line.
const bcrypt = require('bcrypt');

async function main() {
  const [cost, concurrency, durationMs] = process.argv.slice(2).map(Number);
  const password = 'correct horse battery staple';
  const hash = await bcrypt.hash(password, cost);
  // One compare per thread first, so the measured window starts with a warm pool.
  await Promise.all(Array.from({ length: concurrency }, () => bcrypt.compare(password, hash)));
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(durationMs) * 1_000_000n;
  let compares = 0;
  const worker = async () => {
    while (process.hrtime.bigint() < deadline) {
      if (!(await bcrypt.compare(password, hash))) throw new Error('bcrypt.compare returned false');
      compares += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`${JSON.stringify({ compares, seconds, perSecond: compares / seconds })}\n`);
}

main().catch((error) => {
  process.stderr.write(`bcrypt-rate failed: ${error.stack || error}\n`);
  process.exit(1);
});
