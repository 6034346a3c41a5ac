import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunReport } from '@esimlab/harness';
import type { CliCommand } from '../cli-command.ts';
import { CliUsageError } from '../cli-error.ts';
import { flagError } from '../internal/command-flags.ts';
import { cwdOf } from '../io.ts';
import { runScenarios } from './run.ts';

const usage = `esimlab replay <report> [--scenario NAME] [--jobs N] [--reports DIR]

Reruns the failed scenarios of an earlier run (its reports/esimlab-report.json) with the
run's seed, so the same faults fire on the same requests and the client jitters the same way.
A run against --target carriers replays against the same URLs.

  --scenario <name>  replay this scenario (repeatable) instead of every failed one
  --jobs <n>         scenarios at once (default 2)
  --reports <dir>    where to write the replay's reports (default reports/replay)
  --no-color         plain output
  --help             this text`;

/** `esimlab replay`: a failed scenario again, with its seed. */
export const replayCommand: CliCommand = {
  name: 'replay',
  summary: "rerun a report's failed scenarios with their seed",
  usage,
  async run(args, io) {
    let parsed: ReturnType<typeof parseReplayArgs>;
    try {
      parsed = parseReplayArgs(args);
    } catch (error) {
      throw flagError(error, args, ['scenario', 'jobs', 'reports', 'no-color']);
    }
    const { values, positionals } = parsed;
    const [reportPath, ...extra] = positionals;
    if (reportPath === undefined || extra.length > 0) {
      throw new CliUsageError(
        'give exactly one report, e.g. esimlab replay reports/esimlab-report.json',
      );
    }
    const report = await readReport(resolve(cwdOf(io), reportPath));
    const wanted =
      values.scenario ?? report.scenarios.filter((s) => s.status === 'failed').map((s) => s.name);
    const unknown = wanted.filter((name) => !report.scenarios.some((s) => s.name === name));
    if (unknown.length > 0) {
      throw new CliUsageError(
        `the report has no scenario named ${unknown.map((n) => `"${n}"`).join(', ')}; it has ${report.scenarios.map((s) => `"${s.name}"`).join(', ')}`,
      );
    }
    if (wanted.length === 0) {
      io.out(
        `Every scenario in ${reportPath} passed; nothing to replay (name one with --scenario).`,
      );
      return 0;
    }
    const files = [
      ...new Set(report.scenarios.filter((s) => wanted.includes(s.name)).map((s) => s.file)),
    ];
    io.out(
      `Replaying ${wanted.length} scenario${wanted.length === 1 ? '' : 's'} with seed ${report.seed}`,
    );
    const jobs = values.jobs === undefined ? 2 : Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 32) {
      throw new CliUsageError(`--jobs must be an integer from 1 to 32; got "${values.jobs}"`);
    }
    return runScenarios(io, {
      paths: files,
      names: wanted,
      seed: report.seed,
      jobs,
      bail: false,
      reportsDir: values.reports ?? 'reports/replay',
      color: false,
      ...(report.target.kind === 'remote'
        ? {
            target: Object.entries(report.target.urls).map(([carrier, url]) => `${carrier}=${url}`),
          }
        : {}),
    });
  },
};

function parseReplayArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: {
      scenario: { type: 'string', multiple: true },
      jobs: { type: 'string' },
      reports: { type: 'string' },
      'no-color': { type: 'boolean', default: false },
    },
  });
}

async function readReport(path: string): Promise<RunReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new CliUsageError(
      `cannot read ${path}; pass the esimlab-report.json an earlier esimlab run wrote`,
    );
  }
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch {
    throw new CliUsageError(
      `${path} is not JSON; pass the esimlab-report.json an earlier esimlab run wrote`,
    );
  }
  const candidate = report as Partial<RunReport> | null;
  if (
    candidate === null ||
    candidate.version !== 1 ||
    typeof candidate.seed !== 'number' ||
    !Array.isArray(candidate.scenarios) ||
    candidate.target === undefined
  ) {
    throw new CliUsageError(
      `${path} is not an esimlab run report (version 1 with seed and scenarios)`,
    );
  }
  return candidate as RunReport;
}
