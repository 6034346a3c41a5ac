// Engine-neutral (see flow/load-runtime.ts).
import { statisticOf } from '../thresholds/threshold-expression.ts';
import { type MetricSummary, type SummaryData, thresholdResults } from './summary-data.ts';

export interface TextSummaryOptions {
  /** ANSI colours for the ticks and crosses. */
  readonly color?: boolean;
  /** A first line, e.g. what ran against what. */
  readonly title?: string;
}

const executionMetrics = new Set([
  'dropped_iterations',
  'iteration_duration',
  'iterations',
  'vus',
  'vus_max',
]);
const NAME_WIDTH = 40;

/**
 * The end-of-test summary in k6's compact layout: thresholds with their values, then every
 * metric by group (custom, HTTP, execution). Non-enforced thresholds are marked as such.
 */
export function textSummary(data: SummaryData, options: TextSummaryOptions = {}): string {
  const paint = (code: number, text: string) =>
    options.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  const lines: string[] = [''];
  if (options.title !== undefined) lines.push(`  ${options.title}`, '');

  const results = thresholdResults(data);
  if (results.length > 0) {
    lines.push('  █ THRESHOLDS', '');
    let current = '';
    for (const result of results) {
      if (result.metric !== current) {
        if (current !== '') lines.push('');
        current = result.metric;
        lines.push(`    ${result.metric}`);
      }
      const mark = result.ok ? paint(32, '✓') : paint(31, '✗');
      const actual = actualOf(data.metrics[result.metric], result.expression);
      const note = result.enforced ? '' : paint(33, ' (reported, not enforced)');
      lines.push(
        `    ${mark} '${result.expression}'${actual === undefined ? '' : ` ${actual}`}${note}`,
      );
    }
    lines.push('', '');
  }

  lines.push('  █ TOTAL RESULTS', '');
  const names = Object.keys(data.metrics).sort();
  const parents = names.filter((name) => !name.includes('{'));
  const groups: [string, (name: string) => boolean][] = [
    ['CUSTOM', (n) => !n.startsWith('http_') && !executionMetrics.has(n)],
    ['HTTP', (n) => n.startsWith('http_')],
    ['EXECUTION', (n) => executionMetrics.has(n)],
  ];
  const trendStats = data.options?.summaryTrendStats;
  for (const [title, belongs] of groups) {
    const members = parents.filter(belongs);
    if (members.length === 0) continue;
    lines.push(`    ${title}`);
    for (const name of members) {
      const metric = data.metrics[name];
      if (metric !== undefined) lines.push(metricLine(name, metric, trendStats, 4));
      for (const sub of names.filter((n) => n.startsWith(`${name}{`))) {
        const subMetric = data.metrics[sub];
        const tags = sub.slice(name.length + 1, -1).replace(/,/g, ', ');
        if (subMetric !== undefined)
          lines.push(metricLine(`{ ${tags} }`, subMetric, trendStats, 6));
      }
    }
    lines.push('');
  }

  const enforcedFailures = results.filter((r) => r.enforced && !r.ok).length;
  const duration = formatMs(data.state.testRunDurationMs);
  const problems = data.state.problems ?? [];
  for (const problem of problems) lines.push(`  ${paint(31, '✗')} ${problem}`);
  const verdict =
    enforcedFailures === 0
      ? 'every enforced threshold held'
      : `${enforcedFailures} enforced threshold${enforcedFailures === 1 ? '' : 's'} crossed`;
  lines.push(
    `  ${enforcedFailures === 0 && problems.length === 0 ? paint(32, '✓') : paint(31, '✗')} ran ${duration}; ${verdict}${problems.length === 0 ? '' : ', but the run does not count as a pass'}`,
    '',
  );
  return lines.join('\n');
}

function metricLine(
  label: string,
  metric: MetricSummary,
  trendStats: readonly string[] | undefined,
  indent: number,
): string {
  const dots = `${label}`.padEnd(NAME_WIDTH - indent, '.');
  return `${' '.repeat(indent)}${dots}: ${valuesText(metric, trendStats)}`;
}

function valuesText(metric: MetricSummary, trendStats: readonly string[] | undefined): string {
  const v = metric.values;
  const show = (value: number | undefined) =>
    value === undefined ? '-' : metric.contains === 'time' ? formatMs(value) : formatNumber(value);
  switch (metric.type) {
    case 'counter':
      return `${show(v.count).padEnd(8)} ${formatNumber(v.rate ?? 0)}/s`;
    case 'rate': {
      const passes = v.passes ?? 0;
      const total = passes + (v.fails ?? 0);
      return `${`${((v.rate ?? 0) * 100).toFixed(2)}%`.padEnd(8)} ${passes} out of ${total}`;
    }
    case 'gauge':
      return `${show(v.value).padEnd(8)} min=${show(v.min)} max=${show(v.max)}`;
    case 'trend': {
      if (v.count === 0) return 'no samples';
      // `count` is there to tell an empty trend, not a column.
      return (trendStats ?? Object.keys(v))
        .filter((stat) => stat !== 'count' && v[stat] !== undefined)
        .map((stat) => `${stat}=${show(v[stat])}`.padEnd(16))
        .join(' ')
        .trimEnd();
    }
  }
}

/** The value a threshold was judged on, as the summary prints it: `p(99)=1.2s`, `rate=2.00%`. */
export function actualOf(
  metric: MetricSummary | undefined,
  expression: string,
): string | undefined {
  if (metric === undefined) return undefined;
  if (metric.type === 'trend' && metric.values.count === 0) return '(no samples)';
  const key = statisticOf(expression);
  if (key === undefined) return undefined;
  const value = metric.values[key];
  if (value === undefined) return undefined;
  if (metric.type === 'rate') {
    return `${key}=${(value * 100).toFixed(2)}%`;
  }
  return `${key}=${metric.contains === 'time' && key !== 'count' ? formatMs(value) : formatNumber(value)}`;
}

/** Milliseconds the way k6 prints them: 845.21µs, 12.34ms, 1.52s, 2m3s. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms === 0) return '0s';
  if (Math.abs(ms) < 1) return `${trim(ms * 1000)}µs`;
  if (Math.abs(ms) < 1000) return `${trim(ms)}ms`;
  if (Math.abs(ms) < 59_995) return `${trim(ms / 1000)}s`;
  // Whole seconds first, so 119.7 s reads 2m0s, not 1m60s.
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0 ? `${hours}h${minutes}m${seconds}s` : `${minutes}m${seconds}s`;
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return trim(value, Math.abs(value) >= 100 ? 1 : 4);
}

const trim = (value: number, digits = 2) => String(Number(value.toFixed(digits)));
