// Runs vitest and ends with one plain line "N passed, N failed, N skipped" that any CI can read.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const report = 'test-results/vitest.json';
const result = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
let summary = 'tests: no report was written';
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  // A file that fails to load counts as a failure although none of its tests ran.
  const loadFailures = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  const failed = r.numFailedTests + loadFailures;
  summary = `tests: ${r.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
  if (r.numTotalTests === 0) summary += ' (no test ran)';
} catch {
  // vitest failed before writing its report; its own output says why.
}
console.log(summary);
process.exit(result.status ?? 1);
