// Writes jest's own totals to .jest-results.json so .ci/run can print "N passed, N failed"
// from the runner's counts while running exactly `npm test`.
const fs = require('node:fs');
const path = require('node:path');

class CountReporter {
  constructor(globalConfig) {
    this.file = path.join(globalConfig.rootDir, '.jest-results.json');
  }

  onRunComplete(_contexts, results) {
    const failedSuites = results.numFailedTestSuites + (results.numRuntimeErrorTestSuites || 0);
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
      failedSuites,
      // jest sets results.success only after reporters run, so derive it from the counts.
      success: results.numFailedTests === 0 && failedSuites === 0 && !results.wasInterrupted,
    };
    fs.writeFileSync(this.file, `${JSON.stringify(summary)}\n`);
  }
}

module.exports = CountReporter;
