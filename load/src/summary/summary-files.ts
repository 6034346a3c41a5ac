// Engine-neutral (see flow/load-runtime.ts).
import { junitReport } from './junit-report.ts';
import type { SummaryData } from './summary-data.ts';

export const SUMMARY_JSON_FILE = 'load-summary.json';
export const JUNIT_FILE = 'load-junit.xml';

/**
 * The report files of a run, by path: what k6's `handleSummary` returns and what the Node
 * driver writes, so both engines leave the same files behind.
 */
export function summaryFiles(
  data: SummaryData,
  outDir: string,
  suiteName: string,
): Record<string, string> {
  const dir = outDir.replace(/\/+$/, '') || '.';
  return {
    [`${dir}/${SUMMARY_JSON_FILE}`]: `${JSON.stringify(data, null, 2)}\n`,
    [`${dir}/${JUNIT_FILE}`]: junitReport(data, suiteName),
  };
}
