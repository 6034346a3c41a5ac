import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { ApiStyle } from '@esimlab/domain';
import { commandLineArgs, commandLineError } from './cli/command-line.ts';
import { stylesOf } from './cli/run-arguments.ts';
import { checkSimulation } from './property/simulation-property.ts';

/**
 * How many complete simulated runs (up to 30 commands each, final check included) one core
 * makes per second: each style's runs one after another in this single-threaded process,
 * after a warm-up. Wall time is what one core delivers; CPU time also counts the GC's helper
 * threads, so it reads lower. A loaded machine reads lower still: the load average is printed.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    args: commandLineArgs(),
    options: { runs: { type: 'string' }, style: { type: 'string' }, seed: { type: 'string' } },
  });
  const runs = Number(values.runs ?? 300);
  const seed = Number(values.seed ?? 20260304);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
    throw new Error('--runs must be a positive integer and --seed an integer');
  }
  process.stdout.write(
    `${availableParallelism()} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  for (const style of stylesOf(values.style)) await measure(style, runs, seed);
}

async function measure(style: ApiStyle, runs: number, seed: number): Promise<void> {
  await checkSimulation({ apiStyle: style }, { numRuns: 30, seed: seed + 1 });
  let commands = 0;
  let requests = 0;
  const cpuAt = process.cpuUsage();
  const startedAt = performance.now();
  const check = await checkSimulation(
    { apiStyle: style },
    {
      numRuns: runs,
      seed,
      onRun: (verdict) => {
        commands += verdict?.stats.commands ?? 0;
        requests += verdict?.stats.requests ?? 0;
      },
    },
  );
  const seconds = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuAt);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const done = check.numRuns;
  process.stdout.write(
    `${style.padEnd(10)} ${done} runs in ${seconds.toFixed(1)} s: ${(done / seconds).toFixed(1)} runs/s on one core (${(done / cpuSeconds).toFixed(1)} per CPU-second); ${(commands / done).toFixed(1)} commands and ${(requests / done).toFixed(1)} requests a run${check.failure ? '; FAILED' : ''}\n`,
  );
}

await main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? commandLineError(error) : String(error)}\n`);
  process.exitCode = 2;
});
