// Engine-neutral (see flow/load-runtime.ts).
import { type SummaryData, thresholdResults } from './summary-data.ts';
import { actualOf } from './text-summary.ts';

/**
 * The thresholds as JUnit XML, one test case per threshold, so CI shows which budget or
 * invariant a load run broke. A crossed threshold that is not enforced is a skipped case; what
 * else kept the run from passing (`state.problems`) is a failed case of its own.
 */
export function junitReport(data: SummaryData, suiteName: string): string {
  const results = thresholdResults(data);
  const problems = data.state.problems ?? [];
  const tests = results.length + problems.length;
  const failures = results.filter((r) => r.enforced && !r.ok).length + problems.length;
  const skipped = results.filter((r) => !r.enforced && !r.ok).length;
  const seconds = (data.state.testRunDurationMs / 1000).toFixed(3);
  const cases = results.map((result) => {
    const open = `    <testcase classname="${xml(result.metric)}" name="${xml(`${result.metric} ${result.expression}`)}">`;
    if (result.ok) return `${open}</testcase>`;
    const actual = actualOf(data.metrics[result.metric], result.expression);
    const message = `${result.metric} crossed '${result.expression}'${actual === undefined ? '' : ` (${actual})`}`;
    return result.enforced
      ? `${open}\n      <failure message="${xml(message)}" type="threshold">${xml(message)}</failure>\n    </testcase>`
      : `${open}\n      <skipped message="${xml(`${message}; reported, not enforced in this run`)}"/>\n    </testcase>`;
  });
  for (const problem of problems) {
    cases.push(
      `    <testcase classname="run" name="the run">\n      <failure message="${xml(problem)}" type="run">${xml(problem)}</failure>\n    </testcase>`,
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${tests}" failures="${failures}" skipped="${skipped}" time="${seconds}">`,
    `  <testsuite name="${xml(suiteName)}" tests="${tests}" failures="${failures}" skipped="${skipped}" time="${seconds}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
