import { parseArgs } from 'node:util';
import { commandLineArgs, runCommand } from './cli/command-line.ts';
import { runOptionFlags, runOptionsFromFlags, stylesOf } from './cli/run-arguments.ts';
import { checkSimulation } from './property/simulation-property.ts';
import type { RunVerdict } from './run-verdict.ts';

const usage = `usage: pnpm --filter @esimlab/simulator replay --style <idempotent|reference|async>
         --seed <n> --path "<path>" [--replay-path "<hint>"] [run options]
Replays one simulated run from the line a failure printed, and prints what happened.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: commandLineArgs(),
    options: {
      ...runOptionFlags,
      seed: { type: 'string' },
      path: { type: 'string' },
      'replay-path': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const seed = Number(values.seed);
  if (values.style === undefined || !Number.isInteger(seed) || values.path === undefined) {
    process.stderr.write(`--style, --seed (an integer) and --path are required\n${usage}\n`);
    return 2;
  }
  const [style] = stylesOf(values.style);
  if (style === undefined) return 2;
  let last: RunVerdict | undefined;
  const check = await checkSimulation(runOptionsFromFlags(values, style), {
    numRuns: 1,
    seed,
    path: values.path,
    ...(values['replay-path'] === undefined ? {} : { replayPath: values['replay-path'] }),
    endOnFailure: true,
    onRun: (verdict) => {
      last = verdict;
    },
  });
  if (check.failure) {
    process.stdout.write(`${check.failure.report}\n`);
    return 1;
  }
  process.stdout.write(
    `the run passed: this seed and path do not fail (any more).\n${(last?.timeline ?? []).map((line, i) => `  ${String(i + 1).padStart(2)}. ${line}`).join('\n')}\n`,
  );
  return 0;
}

runCommand(main, usage);
