import type { RunReport, ScenarioResult, TimelinePoint } from '../run-report.ts';

/** A duration for people: `850 ms`, `12.3 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** `3 passed, 1 failed, 4 total (in 12.3 s)`: the same words in every report. */
export function formatCounts(report: RunReport): string {
  const { passed, failed, total } = report.summary;
  return `${passed} passed, ${failed} failed, ${total} total (in ${formatDuration(report.durationMs)})`;
}

/** Cents as dollars: `$5.00`. */
export function formatDollars(minor: number): string {
  return `$${(minor / 100).toFixed(2)}`;
}

/** Bytes as decimal gigabytes, the unit plans are sold in: `4.50 GB`. */
export function formatGigabytes(bytes: number): string {
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/** Where a scenario failed: `file:line` of the failing step when known, else the file. */
export function failureLocation(result: ScenarioResult): string {
  const line = result.failure?.line;
  return line === undefined ? result.file : `${result.file}:${line}`;
}

/** Failed scenarios first, each group in run order. */
export function failedFirst(scenarios: readonly ScenarioResult[]): ScenarioResult[] {
  return [
    ...scenarios.filter((s) => s.status === 'failed'),
    ...scenarios.filter((s) => s.status !== 'failed'),
  ];
}

/** `clean`, or the violation kinds a mutant scenario must produce. */
export function formatExpectedVerdict(expected: 'clean' | readonly string[]): string {
  return expected === 'clean' ? 'clean' : `exactly ${expected.join(', ')}`;
}

/** Timeline points grouped by eSIM (in order of first sample), each group in time order. */
export function timelineByEsim(points: readonly TimelinePoint[]): Map<string, TimelinePoint[]> {
  const groups = new Map<string, TimelinePoint[]>();
  for (const point of points) {
    const group = groups.get(point.esim) ?? [];
    group.push(point);
    groups.set(point.esim, group);
  }
  for (const group of groups.values()) group.sort((a, b) => a.atMs - b.atMs);
  return groups;
}
