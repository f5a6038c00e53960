// Prints jest's --json results as the one line CI reads: "N passed, N failed".
const fs = require('node:fs');
const file = process.argv[2];
if (!fs.existsSync(file)) {
  console.log('0 passed, 1 failed');
  console.error('no test results were written (jest did not run to completion)');
  process.exit(1);
}
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const failedSuites = r.testResults.filter(
  (s) => s.status === 'failed' && s.assertionResults.length === 0,
).length;
const failed = r.numFailedTests + failedSuites;
console.log(`${r.numPassedTests} passed, ${failed} failed`);
process.exit(failed > 0 || r.numPassedTests === 0 ? 1 : 0);
