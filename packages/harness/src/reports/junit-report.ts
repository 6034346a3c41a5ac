import { carrierIds } from '@esimlab/domain';
import {
  failureLocation,
  formatDuration,
  formatExpectedVerdict,
} from './internal/report-format.ts';
import { escapeXmlAttribute as attr, escapeXmlText as text } from './internal/xml-escape.ts';
import type { RunReport, ScenarioResult, StepResult } from './run-report.ts';

/**
 * The run as JUnit XML, the format CI servers (GitHub, GitLab, Jenkins) show as test results:
 * one `<testsuite>` per carrier, one `<testcase>` per scenario with the file as its classname,
 * a `<failure>` with what went wrong and how to replay it, and the steps in `<system-out>`.
 */
export function toJUnitXml(report: RunReport): string {
  const { total, failed } = report.summary;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="esimlab" tests="${total}" failures="${failed}" errors="0" skipped="0" time="${seconds(report.durationMs)}" timestamp="${attr(report.startedAt)}">`,
  ];
  for (const carrier of carrierIds) {
    const results = report.scenarios.filter((s) => s.carrier === carrier);
    if (results.length > 0) lines.push(...suite(carrier, results, report));
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function suite(carrier: string, results: readonly ScenarioResult[], report: RunReport): string[] {
  const failures = results.filter((r) => r.status === 'failed').length;
  const time = results.reduce((sum, r) => sum + r.durationMs, 0);
  return [
    `  <testsuite name="${attr(carrier)}" tests="${results.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(time)}" timestamp="${attr(report.startedAt)}">`,
    '    <properties>',
    `      <property name="seed" value="${report.seed}"/>`,
    `      <property name="command" value="${attr(report.command)}"/>`,
    '    </properties>',
    ...results.flatMap(testcase),
    '  </testsuite>',
  ];
}

function testcase(result: ScenarioResult): string[] {
  const open = `    <testcase name="${attr(result.name)}" classname="${attr(result.file)}" file="${attr(result.file)}" time="${seconds(result.durationMs)}">`;
  const lines = [open];
  if (result.status === 'failed') {
    const message = result.failure?.message ?? 'the checker did not give the expected verdict';
    lines.push(
      `      <failure message="${attr(message)}" type="${failureType(result)}">${text(failureDetail(result))}</failure>`,
    );
  }
  lines.push(`      <system-out>${text(stepsText(result))}</system-out>`, '    </testcase>');
  return lines;
}

/** Lets CI group failures: a failing step, or a checker verdict that differs from the expected one. */
function failureType(result: ScenarioResult): string {
  if (result.failure?.stepIndex !== undefined) return 'step_failed';
  if (!result.checker.ok) return 'checker_verdict';
  return 'scenario_failed';
}

function failureDetail(result: ScenarioResult): string {
  const lines = [`at ${failureLocation(result)}`];
  if (result.failure) lines.push(result.failure.message);
  const step =
    result.failure?.stepIndex === undefined ? undefined : result.steps[result.failure.stepIndex];
  if (step?.detail && step.detail !== result.failure?.message) lines.push(step.detail);
  const { ok, expected, reported } = result.checker;
  lines.push(
    `checker: ${ok ? 'as expected' : 'unexpected verdict'} (expected ${formatExpectedVerdict(expected)})`,
  );
  for (const v of reported) {
    lines.push(
      `  ${v.kind}: ${v.message}${v.intentIds.length > 0 ? ` [${v.intentIds.join(', ')}]` : ''}`,
    );
  }
  lines.push(`replay: ${result.replay}`);
  return lines.join('\n');
}

function stepsText(result: ScenarioResult): string {
  const lines = [
    `${result.carrier} · ${result.apiStyle} · seed ${result.seed} · ${result.file}`,
    ...result.steps.map(stepLine),
  ];
  if (result.faults.length > 0) {
    lines.push('faults fired:', ...result.faults.map((f) => `  ${f.ruleId} ${f.kind} ×${f.hits}`));
  }
  lines.push(`replay: ${result.replay}`);
  return lines.join('\n');
}

const stepMarks: Record<StepResult['status'], string> = {
  passed: '✓',
  failed: '✗',
  'not-run': '·',
};

function stepLine(step: StepResult): string {
  const line = step.line === undefined ? '' : ` line ${step.line}`;
  const main = `${stepMarks[step.status]} ${step.index + 1}.${line} ${step.summary} (${formatDuration(step.durationMs)})`;
  return step.status === 'failed' && step.detail ? `${main}\n    ${step.detail}` : main;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
