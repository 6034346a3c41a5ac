import { availableParallelism } from 'node:os';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type CarrierPool,
  fixedCarrierPool,
  formatConsoleSummary,
  formatScenarioLine,
  freshRunSeed,
  type LoadedScenario,
  loadSuite,
  type RunReport,
  runSuite,
  writeReports,
} from '@esimlab/harness';
import type { CliCommand } from '../cli-command.ts';
import { CliUsageError } from '../cli-error.ts';
import { flagError } from '../internal/command-flags.ts';
import { prepareOutputDir } from '../internal/output-dir.ts';
import { type CliIo, cwdOf, envOf, processIo } from '../io.ts';
import { localCarrierPool } from '../run/local-carrier-pool.ts';
import { identifyTargets, parseTargetEntries } from '../targets.ts';

const usage = `esimlab run [paths…] [--target att=URL,…] [--seed N] [--grep PATTERN] [--bail] [--jobs N] [--reports DIR]

Runs scenario files (YAML; directories are searched recursively; default scenarios/). Each
scenario gets a carrier of its own with fresh state: by default carrier processes this
command starts on free ports (and stops at the end), reused across scenarios after a reset.
At the end the checker judges every top-up intent against the carrier's ledger, gateway and
audit. Writes reports/junit.xml, reports/esimlab-report.json and reports/esimlab-report.html.
Exit code 0 when every scenario passed, 1 when one failed, 2 for a bad flag or scenario file.

  --target <list>   run against carriers that are already running instead (their state is
                    reset before each scenario!): att=http://127.0.0.1:4101,… or bare URLs
  --seed <n>        the run seed (0-4294967295); each scenario's seed derives from it and its
                    name, so the same seed replays the same faults, jitter and data. Default random
  --grep <pattern>  only scenarios whose name matches this regular expression
  --bail            stop starting scenarios after the first failure
  --jobs <n>        scenarios at once (default ${defaultJobs()}); local runs start up to this many carrier processes
  --reports <dir>   where to write the reports (default reports)
  --admin-token <t> sent as X-Sim-Admin-Token to --target carriers; default ESIMLAB_ADMIN_TOKEN
  --no-color        plain output (also when NO_COLOR is set or output is not a terminal)
  --help            this text`;

// Scenarios mostly wait (settle intervals, slow payments, attempt timeouts), so several run
// per core; each has a carrier process of its own.
function defaultJobs(): number {
  return Math.max(4, Math.min(8, availableParallelism() * 4));
}

/** `esimlab run`: scenario suites against fresh carriers, with reports. */
export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run scenario files against fresh carriers; console, JUnit and HTML reports',
  usage,
  async run(args, io) {
    let parsed: ReturnType<typeof parseRunArgs>;
    try {
      parsed = parseRunArgs(args);
    } catch (error) {
      throw flagError(error, args, [
        'target',
        'seed',
        'grep',
        'bail',
        'jobs',
        'reports',
        'admin-token',
        'no-color',
      ]);
    }
    const { values, positionals } = parsed;
    const seed = values.seed === undefined ? freshRunSeed() : parseSeed(values.seed);
    const jobs =
      values.jobs === undefined ? defaultJobs() : parsePositive(values.jobs, '--jobs', 32);
    const grep = values.grep === undefined ? undefined : parseGrep(values.grep);
    return runScenarios(io, {
      paths: positionals.length > 0 ? positionals : ['scenarios'],
      seed,
      jobs,
      bail: values.bail,
      reportsDir: values.reports ?? 'reports',
      color:
        !values['no-color'] &&
        envOf(io).NO_COLOR === undefined &&
        io === processIo &&
        process.stdout.isTTY === true,
      ...(grep === undefined ? {} : { grep }),
      ...(values.target === undefined ? {} : { target: values.target }),
      ...(values['admin-token'] === undefined ? {} : { adminToken: values['admin-token'] }),
    });
  },
};

function parseRunArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: {
      target: { type: 'string', multiple: true },
      seed: { type: 'string' },
      grep: { type: 'string' },
      bail: { type: 'boolean', default: false },
      jobs: { type: 'string' },
      reports: { type: 'string' },
      'admin-token': { type: 'string' },
      'no-color': { type: 'boolean', default: false },
    },
  });
}

export interface RunScenariosOptions {
  readonly paths: readonly string[];
  readonly seed: number;
  readonly jobs: number;
  readonly bail: boolean;
  readonly reportsDir: string;
  readonly color: boolean;
  readonly grep?: RegExp;
  readonly target?: readonly string[];
  readonly adminToken?: string;
  /** For `esimlab replay`: only these scenario names, exactly. */
  readonly names?: readonly string[];
}

/** Loads, runs and reports a suite; shared by `run` and `replay`. */
export async function runScenarios(io: CliIo, options: RunScenariosOptions): Promise<number> {
  const cwd = cwdOf(io);
  const paths = options.paths.map((p) => resolve(cwd, p));
  const suite = await loadSuite(paths).catch((error: Error) => {
    throw new CliUsageError(error.message);
  });
  if (suite.errors.length > 0) {
    // Paths as the user typed them, so an editor or terminal can jump to the line.
    for (const e of suite.errors) {
      io.err(
        `${relative(cwd, e.file) || e.file}:${e.line}:${e.column}: ${e.field ? `${e.field}: ` : ''}${e.detail}`,
      );
    }
    io.err(
      `esimlab run: ${suite.errors.length} problem${suite.errors.length === 1 ? '' : 's'} in the scenario files; nothing was run`,
    );
    return 2;
  }
  const chosen = suite.scenarios
    .filter((s) => options.grep === undefined || options.grep.test(s.scenario.name))
    .filter((s) => options.names === undefined || options.names.includes(s.scenario.name))
    .map((s) => ({ ...s, file: relative(cwd, s.file) || s.file }));
  if (chosen.length === 0) {
    throw new CliUsageError(
      `no scenario matches (${suite.scenarios.length} found in ${options.paths.join(', ')}${options.grep ? ` and none matches --grep ${options.grep.source}` : ''})`,
    );
  }

  const reportsDir = resolve(cwd, options.reportsDir);
  await prepareOutputDir(reportsDir, '--reports');

  const env = envOf(io);
  const adminToken = options.adminToken ?? (env.ESIMLAB_ADMIN_TOKEN || undefined);
  let pool: CarrierPool;
  let target: RunReport['target'];
  if (options.target !== undefined) {
    const targets = await identifyTargets(parseTargetEntries(options.target));
    const urls = Object.fromEntries(targets.map((t) => [t.carrier, t.url]));
    pool = fixedCarrierPool(urls, adminToken === undefined ? {} : { adminToken });
    target = { kind: 'remote', urls };
    io.out(
      `Running ${chosen.length} scenarios (seed ${options.seed}) against ${targets.map((t) => `${t.carrier} ${t.url}`).join(', ')}`,
    );
  } else {
    pool = await localCarrierPool({ maxProcesses: options.jobs });
    target = { kind: 'local', workers: options.jobs };
    io.out(
      `Running ${chosen.length} scenarios (seed ${options.seed}), up to ${options.jobs} at once on carriers of their own`,
    );
  }

  const replayCommand = (scenario: LoadedScenario, runSeed: number) =>
    `pnpm esimlab run ${quote(scenario.file)} --grep ${quote(`^${escapeRegExp(scenario.scenario.name)}$`)} --seed ${runSeed}`;
  let report: Awaited<ReturnType<typeof runSuite>>;
  try {
    report = await runSuite({
      scenarios: chosen,
      pool,
      runSeed: options.seed,
      concurrency: options.jobs,
      bail: options.bail,
      target,
      command: `esimlab run ${options.paths.join(' ')} --seed ${options.seed}`,
      replayCommand,
      onScenarioEnd: (result, { done, total }) => {
        const width = String(total).length;
        io.out(
          `[${String(done).padStart(width)}/${total}] ${formatScenarioLine(result, options.color)}`,
        );
      },
    });
  } finally {
    await pool.close();
  }

  const written = await writeReports(report, reportsDir);
  io.out('');
  io.out(formatConsoleSummary(report, { color: options.color }));
  if (report.notRun > 0) io.out(`${report.notRun} scenarios not run (--bail after a failure)`);
  io.out(
    `Reports: ${[written.junit, written.html, written.json].map((p) => relative(cwd, p)).join(', ')}`,
  );
  return report.summary.failed === 0 && report.notRun === 0 ? 0 : 1;
}

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!/^\d+$/.test(value) || seed > 2 ** 32 - 1) {
    throw new CliUsageError(`--seed must be an integer from 0 to 4294967295; got "${value}"`);
  }
  return seed;
}

function parsePositive(value: string, flag: string, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) {
    throw new CliUsageError(`${flag} must be an integer from 1 to ${max}; got "${value}"`);
  }
  return n;
}

function parseGrep(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (error) {
    throw new CliUsageError(
      `--grep "${value}" is not a regular expression: ${(error as Error).message}`,
    );
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const quote = (text: string) =>
  /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
