// Prints the closing "N passed, N failed, N skipped" line from vitest's JSON report and the
// VS Code suites' reports (same counters), after the names of the skipped tests. A report that is missing counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const reports = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const skippedNames = [];
for (const file of reports) {
  if (!existsSync(file)) {
    console.log(`no test report at ${file}: that suite did not run`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numFailedTestSuites ?? 0);
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  for (const suite of report.testResults ?? []) {
    for (const t of suite.assertionResults ?? []) {
      if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo') skippedNames.push(`${String(suite.name ?? '').replace(`${process.cwd()}/`, '')} > ${t.fullName ?? t.title}`);
    }
  }
}
// A skipped test protects nothing: name each (its suite prints why, e.g. the golden ledgers' lines).
for (const name of skippedNames.slice(0, 20)) console.log(`skipped: ${name}`);
if (skippedNames.length > 20) console.log(`skipped: … and ${skippedNames.length - 20} more`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
