import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { commandLineArgs, commandLineError } from './cli/command-line.ts';
import { cellKey } from './matrix/matrix-cell.ts';
import {
  formatPinnedVerdicts,
  pinnedVerdictsUrl,
  safetyMatrixUrl,
} from './matrix/pinned-verdicts.ts';
import { renderSafetyMatrix } from './matrix/render-safety-matrix.ts';
import { runSafetyMatrix } from './matrix/run-safety-matrix.ts';

const usage = `usage: pnpm --filter @esimlab/simulator matrix [--runs <n per cell>] [--seed <n>]
Runs every (API style x client strategy x fault kind) cell, prints the safety matrix, and
writes it to safety-matrix.md and the pinned verdicts the tests compare against.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: commandLineArgs(),
    options: {
      runs: { type: 'string', default: '100' },
      seed: { type: 'string', default: String(MATRIX_SEED) },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const numRuns = Number(values.runs);
  const seed = Number(values.seed);
  if (!Number.isInteger(numRuns) || numRuns < 1 || !Number.isInteger(seed)) {
    process.stderr.write(`--runs must be a positive integer and --seed an integer\n${usage}\n`);
    return 2;
  }
  const started = Date.now();
  const cells = await runSafetyMatrix({
    numRuns,
    seed,
    onCell: (cell) =>
      process.stderr.write(
        `${cellKey(cell).padEnd(52)} ${cell.verdict}${cell.counterexample ? ` (${cell.counterexample.violations.join(', ')}, ${cell.counterexample.commands.length} commands)` : ''} at ${Math.round((Date.now() - started) / 1000)} s\n`,
      ),
  });
  const markdown = renderSafetyMatrix(cells, { numRuns, seed });
  await writeFile(safetyMatrixUrl, markdown);
  await writeFile(pinnedVerdictsUrl, formatPinnedVerdicts({ numRuns, seed, cells }));
  process.stdout.write(markdown);
  return 0;
}

/** The seed the committed matrix was made with. */
const MATRIX_SEED = 2026;

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = (error as { code?: unknown } | null)?.code;
    process.stderr.write(
      typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')
        ? `${commandLineError(error)}\n`
        : `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
