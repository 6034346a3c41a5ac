import {
  failureLocation,
  formatDuration,
  formatExpectedVerdict,
} from './internal/report-format.ts';
import type { RunReport, ScenarioResult } from './run-report.ts';

export interface ConsoleFormatOptions {
  /** Use ANSI colours (a TTY that has not asked for NO_COLOR). */
  readonly color: boolean;
}

type Paint = (text: string) => string;

const ansi =
  (open: number, close: number): Paint =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;
const paints = {
  red: ansi(31, 39),
  green: ansi(32, 39),
  bold: ansi(1, 22),
  dim: ansi(2, 22),
};
const plain: typeof paints = { red: String, green: String, bold: String, dim: String };

/** One line of progress for a finished scenario: `✓ name (1.2 s)` or `✗ name (3.4 s)`. */
export function formatScenarioLine(result: ScenarioResult, color: boolean): string {
  const paint = color ? paints : plain;
  const mark = result.status === 'passed' ? paint.green('✓') : paint.red('✗');
  return `${mark} ${result.name} ${paint.dim(`(${formatDuration(result.durationMs)})`)}`;
}

/**
 * The end-of-run summary: for each failed scenario its name, the file and line of the failing
 * step, the failure, the checker's violations and the command that replays it; then
 * `Scenarios: N passed, N failed, N total (in X s)`.
 */
export function formatConsoleSummary(report: RunReport, options: ConsoleFormatOptions): string {
  const paint = options.color ? paints : plain;
  const lines: string[] = [];
  const failed = report.scenarios.filter((s) => s.status === 'failed');
  if (failed.length > 0) {
    lines.push(paint.bold(paint.red(`Failed scenarios (${failed.length})`)), '');
    for (const result of failed) lines.push(...describeFailure(result, paint), '');
  }
  const { passed, failed: failedCount, total } = report.summary;
  const failedText = `${failedCount} failed`;
  lines.push(
    `${paint.bold('Scenarios:')} ${paint.green(`${passed} passed`)}, ${failedCount > 0 ? paint.red(failedText) : failedText}, ${total} total (in ${formatDuration(report.durationMs)})`,
  );
  if (total === 0) lines.push('No scenario ran; check the paths given to the run.');
  return lines.join('\n');
}

function describeFailure(result: ScenarioResult, paint: typeof paints): string[] {
  const lines = [`${paint.red('✗')} ${paint.bold(result.name)}`];
  const step =
    result.failure?.stepIndex === undefined ? undefined : result.steps[result.failure.stepIndex];
  const stepNote = step ? ` (step ${step.index + 1}, ${step.kind})` : '';
  lines.push(`  at ${failureLocation(result)}${stepNote}`);
  if (result.failure) lines.push(...indent(result.failure.message, '  '));
  if (!result.checker.ok) {
    const { expected, reported } = result.checker;
    lines.push(
      `  checker: expected ${formatExpectedVerdict(expected)}, reported ${reported.length === 0 ? 'no violations' : `${reported.length} violation${reported.length === 1 ? '' : 's'}`}`,
    );
    for (const violation of reported) {
      const intents = violation.intentIds.length > 0 ? ` [${violation.intentIds.join(', ')}]` : '';
      lines.push(`    ${violation.kind}: ${violation.message}${intents}`);
    }
  }
  lines.push(`  ${paint.dim('replay:')} ${result.replay}`);
  return lines;
}

function indent(text: string, prefix: string): string[] {
  return text.split('\n').map((line) => `${prefix}${line}`);
}
