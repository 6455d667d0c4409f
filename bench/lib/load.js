// Load helpers shared by benchmarks.
const autocannon = require('autocannon');

/**
 * Runs autocannon and also keeps every 2xx response time. autocannon's own histogram has 1 ms
 * resolution, which rounds sub-millisecond loopback latencies to 0 or 1 and makes ratios between
 * them meaningless; the per-response event carries the hrtime duration in fractional ms.
 * With `verifyBody` (autocannon's option: body → boolean), a 2xx whose body fails the check is
 * counted in `mismatches` and `failures`, and `rate` does not count it as a success.
 */
function run(options) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    const instance = autocannon(options, (err, result) => {
      if (err) return reject(err);
      const mismatches = result.mismatches ?? 0;
      resolve({
        latencies: latencies.sort((a, b) => a - b),
        seconds: result.duration,
        failures: result.non2xx + result.errors + result.timeouts + mismatches,
        mismatches,
      });
    });
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
    });
  });
}

/** Several runs against one target as if they were one, e.g. rounds interleaved with other targets. */
function merge(runs) {
  return {
    latencies: runs.flatMap((r) => r.latencies).sort((a, b) => a - b),
    seconds: runs.reduce((sum, r) => sum + r.seconds, 0),
    failures: runs.reduce((sum, r) => sum + r.failures, 0),
    mismatches: runs.reduce((sum, r) => sum + (r.mismatches ?? 0), 0),
  };
}

/** Successful responses per second (a 2xx with a body that failed `verifyBody` is no success). */
function rate(result) {
  return (result.latencies.length - (result.mismatches ?? 0)) / result.seconds;
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

module.exports = { run, merge, rate, percentile };
