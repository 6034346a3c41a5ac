#!/usr/bin/env node
// Adds up the JSON reports that every package's vitest run writes to reports/vitest.json
// and prints one closing line for the whole repository: "Tests: N passed, N failed". With
// CI=true any skipped test fails the run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const totals = { passed: 0, failed: 0, skipped: 0, brokenFiles: 0 };
const suites = [];

for (const group of ['apps', 'packages', 'load', 'scenarios']) {
  const groupDir = join(root, group);
  if (!existsSync(groupDir)) continue;
  const dirs = group === 'load' || group === 'scenarios' ? [''] : readdirSync(groupDir);
  for (const dir of dirs) {
    const report = join(groupDir, dir, 'reports', 'vitest.json');
    if (!existsSync(report)) continue;
    const r = JSON.parse(readFileSync(report, 'utf8'));
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += skipped;
    // A test file that fails to load runs no test at all: count it, or it would pass silently.
    const brokenFiles = r.testResults.filter(
      (file) => file.status === 'failed' && file.assertionResults.length === 0,
    ).length;
    totals.brokenFiles += brokenFiles;
    const broken = brokenFiles > 0 ? `, ${brokenFiles} test file(s) failed to load` : '';
    suites.push(
      `${join(group, dir).padEnd(24)} ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped${broken}`,
    );
  }
}

if (suites.length === 0) {
  console.error('No test reports found (expected */reports/vitest.json): did the tests run?');
  process.exit(1);
}
console.log(suites.join('\n'));
// A file that failed to load counts as one failed test in the closing line.
const failed = totals.failed + totals.brokenFiles;
console.log(`Tests: ${totals.passed} passed, ${failed} failed, ${totals.skipped} skipped`);

// In CI a skipped test means a missing tool or service: that is a failure, not a pass.
const skipFails = process.env.CI === 'true' && totals.skipped > 0;
if (skipFails) {
  console.error(
    `✗ CI=true: ${totals.skipped} test(s) skipped; CI must provide every tool and service the tests need.`,
  );
}
process.exit(failed > 0 || totals.passed === 0 || skipFails ? 1 : 0);
