import { type CheckReport, checkViolationKinds } from './check-report.ts';

/**
 * The report for a console: a verdict line, one line per violation, then how each `unknown`
 * intent turned out, then anything that could not be checked.
 */
export function formatCheckReport(report: CheckReport): string {
  const intents = plural(report.intents.length, 'intent');
  const lines: string[] = [];
  if (report.ok) {
    lines.push(`checker: ok, no violations (${intents})`);
  } else {
    const byKind = checkViolationKinds
      .filter((kind) => report.counts[kind] > 0)
      .map((kind) => `${kind} ${report.counts[kind]}`)
      .join(', ');
    lines.push(
      `checker: FAILED, ${plural(report.violations.length, 'violation')} (${byKind}) in ${intents}`,
    );
    for (const v of report.violations) {
      const named = v.intentIds.length > 0 ? ` [intents ${v.intentIds.join(', ')}]` : '';
      lines.push(`  ✗ ${v.kind} (${v.carrier}): ${v.message}${named}`);
    }
  }

  const unknown = report.intents.filter((i) => i.outcome === 'unknown');
  if (unknown.length > 0) {
    lines.push('unknown intents:');
    for (const intent of unknown) {
      lines.push(
        `  ? ${intent.intentId} (${intent.carrier}): ${intent.resolution ?? 'unresolved'}`,
      );
    }
  }

  if (report.skipped.length > 0) {
    lines.push('not checked:');
    for (const s of report.skipped) {
      lines.push(`  - ${s.check} ${s.subject} (${s.carrier}): ${s.reason}`);
    }
  }
  return lines.join('\n');
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
