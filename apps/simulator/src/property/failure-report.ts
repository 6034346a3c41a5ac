import type { ResolvedRunOptions } from '../run-options.ts';
import type { RunVerdict } from '../run-verdict.ts';

export interface FailureReportInput {
  readonly options: ResolvedRunOptions;
  /** The failing run's own seed (the carrier's, the network's, the client's jitter). */
  readonly runSeed: number;
  /** The shrunk command list, as fast-check prints it. */
  readonly commands: string;
  readonly error: unknown;
  readonly verdict: RunVerdict | undefined;
  readonly fastCheck: { readonly seed: number; readonly path: string; readonly shrinks: number };
  readonly replayCommand: string;
}

/**
 * What a failing simulation prints: which kind of run it was, the violations, what happened
 * command by command, fast-check's seed and path, and the one line that replays it.
 */
export function formatFailure(input: FailureReportInput): string {
  const { options, verdict } = input;
  const lines = [
    `simulation failed: ${options.apiStyle} style on ${options.carrier} (${options.carrierBuild.name} build), client strategy ${options.strategy.name}, faults ${options.faultKinds.join(', ') || 'none'}`,
    `run seed ${input.runSeed}; fast-check seed ${input.fastCheck.seed}, path "${input.fastCheck.path}" (after ${input.fastCheck.shrinks} shrinks)`,
    '',
  ];
  if (verdict) {
    lines.push('violations:');
    for (const v of verdict.violations) lines.push(`  - ${v.kind}: ${v.message}`);
    lines.push('', 'what happened:');
    verdict.timeline.forEach((line, i) => {
      lines.push(`  ${String(i + 1).padStart(2)}. ${line}`);
    });
  } else {
    lines.push(`the run threw: ${describe(input.error)}`);
    lines.push('', `commands: ${input.commands}`);
  }
  lines.push('', 'replay it with:', `  ${input.replayCommand}`);
  return lines.join('\n');
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
