// Engine-neutral (see flow/load-runtime.ts).
import { junitReport } from './junit-report.ts';
import type { SummaryData } from './summary-data.ts';

export const SUMMARY_JSON_FILE = 'load-summary.json';
export const JUNIT_FILE = 'load-junit.xml';

/**
 * The report files of a run, by path: what k6's `handleSummary` returns and what the Node
 * driver writes, so both engines leave the same files behind. The JSON holds the metrics, the
 * run's state and its options, nothing else: k6 also hands `handleSummary` the data `setup()`
 * returned (`setup_data`), which carries the API key and the admin token.
 */
export function summaryFiles(
  data: SummaryData,
  outDir: string,
  suiteName: string,
): Record<string, string> {
  const dir = outDir.replace(/\/+$/, '') || '.';
  const { metrics, state, options } = data;
  const kept = { metrics, state, ...(options === undefined ? {} : { options }) };
  return {
    [`${dir}/${SUMMARY_JSON_FILE}`]: `${JSON.stringify(kept, null, 2)}\n`,
    [`${dir}/${JUNIT_FILE}`]: junitReport(data, suiteName),
  };
}
