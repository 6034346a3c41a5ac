import { parseArgs } from 'node:util';
import { commandLineArgs, runCommand } from './cli/command-line.ts';
import { runOptionFlags, runOptionsFromFlags, stylesOf } from './cli/run-arguments.ts';
import { checkSimulation } from './property/simulation-property.ts';

const DEFAULT_RUNS = 20_000;
const usage = `usage: pnpm --filter @esimlab/simulator test:deep [--runs <n per style>] [--style a,b]
         [--seed <n>] [run options]
Nightly depth: ${DEFAULT_RUNS} simulated runs per API style (up to 30 commands each), with a
progress line; exits 1 on the first failure, printing it and the command that replays it.`;

/** Prints progress in place on a terminal, one line every `every` runs otherwise. */
function progressPrinter(label: string, total: number): (done: number, final?: boolean) => void {
  const startedAt = performance.now();
  const cpuAt = process.cpuUsage();
  const tty = process.stdout.isTTY === true;
  const every = Math.max(1, Math.floor(total / 20));
  let printed = -1;
  return (done, final = false) => {
    if (done === printed || (!final && !(tty ? done % 25 === 0 : done % every === 0))) return;
    printed = done;
    const seconds = (performance.now() - startedAt) / 1000;
    const cpu = process.cpuUsage(cpuAt);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const line = `[${label}] ${done}/${total} runs, ${(done / seconds).toFixed(0)} runs/s (${(done / cpuSeconds).toFixed(0)} per CPU-second), ${seconds.toFixed(0)} s`;
    process.stdout.write(tty ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: commandLineArgs(),
    options: {
      ...runOptionFlags,
      runs: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const runs = values.runs === undefined ? DEFAULT_RUNS : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write(`--runs must be a positive integer\n${usage}\n`);
    return 2;
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  for (const style of stylesOf(values.style)) {
    // A seed of its own per style, printed, so a run that hangs can be found again.
    const styleSeed = seed ?? Math.floor(Math.random() * 0x7fffffff);
    process.stdout.write(`[${style}] fast-check seed ${styleSeed}\n`);
    let done = 0;
    const progress = progressPrinter(style, runs);
    const check = await checkSimulation(runOptionsFromFlags(values, style), {
      numRuns: runs,
      seed: styleSeed,
      onRun: () => progress(++done),
    });
    progress(done, true);
    if (check.failure) {
      process.stdout.write(`\n${check.failure.report}\n`);
      return 1;
    }
    if (check.numRuns < runs) {
      process.stdout.write(`[${style}] only ${check.numRuns} of ${runs} runs completed\n`);
      return 1;
    }
  }
  return 0;
}

runCommand(main, usage);
