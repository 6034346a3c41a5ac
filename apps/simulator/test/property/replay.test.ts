import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { topupStrategies } from '@esimlab/client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testPaymentMethods } from '../../src/model/payment-methods.ts';
import { simulationCommands } from '../../src/model/simulation-commands.ts';
import { checkSimulation } from '../../src/property/simulation-property.ts';
import type { SimulationRunOptions } from '../../src/run-options.ts';
import { runSimulation } from '../../src/run-simulation.ts';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A client that cannot be safe: Idempotency-Key retries against a carrier in the reference
 * style, which ignores keys, so a retry after a lost answer buys again.
 */
const unsafe: SimulationRunOptions = {
  apiStyle: 'reference',
  strategy: topupStrategies.idempotent,
  faultKinds: ['reset-after-commit'],
  paymentMethods: ['pm_card_visa'],
};

/** The words of a shell command line, quotes removed. */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

function runReplay(args: readonly string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/replay.ts', ...args], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe('a simulated run', () => {
  it('is a function of its seed and commands: the same inputs give the same verdict', async () => {
    const [commands] = fc.sample(
      fc.commands(
        [
          simulationCommands({
            addons: 4,
            faultKinds: ['reset-after-commit', 'timeout', 'crash', 'webhook-drop'],
            paymentMethods: testPaymentMethods,
          }),
        ],
        { maxCommands: 30, size: 'max' },
      ),
      { numRuns: 1, seed: 11 },
    );
    if (commands === undefined) throw new Error('fast-check sampled nothing');
    const list = [...commands];
    const first = await runSimulation({ apiStyle: 'idempotent' }, 1234, list);
    const second = await runSimulation({ apiStyle: 'idempotent' }, 1234, list);

    expect(first.stats.commands).toBeGreaterThan(3);
    expect(second).toEqual(first);
  });

  it('that fails prints its seed, path and one command line that replays it exactly', async () => {
    const check = await checkSimulation(unsafe, { numRuns: 300, seed: 42 });

    const failure = check.failure;
    expect(failure?.verdict?.violations.map((v) => v.kind)).toContain('balance_mismatch');
    expect(failure?.report).toMatch(/fast-check seed 42, path "[\d:]+"/);
    expect(failure?.replayCommand).toMatch(
      /^pnpm --filter @esimlab\/simulator replay --style reference --strategy idempotent --faults reset-after-commit --cards pm_card_visa --seed 42 --path "[\d:]+"/,
    );

    const replayed = await runReplay(words(failure?.replayCommand ?? '').slice(4));
    expect(replayed.code).toBe(1);
    for (const violation of failure?.verdict?.violations ?? []) {
      expect(replayed.stdout).toContain(violation.message);
    }
  }, 60_000);
});
