import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CarrierStartError, type RunningCarriers, startCarriers } from '@esimlab/carrier';
import { type CarrierId, carrierIds, isCarrierId } from '@esimlab/domain';
import {
  actualOf,
  describeAudit,
  type Enforcement,
  type ExecutorConfig,
  LoadSetupError,
  type LoadSetupErrorCode,
  loadScenarioNames,
  parseRate,
  parseRunDuration,
  parseScenarioName,
  parseVus,
  type RechargeLoadResult,
  runRechargeLoad,
  type ScenarioSettings,
  type SettingParse,
  textSummary,
} from '@esimlab/load';
import type { CliCommand } from '../cli-command.ts';
import { CliFailure, type CliFailureCode, CliUsageError } from '../cli-error.ts';
import { flagError } from '../internal/command-flags.ts';
import { prepareOutputDir } from '../internal/output-dir.ts';
import { type CliIo, cwdOf, envOf, processIo, untilStopped } from '../io.ts';
import { identifyTargets, parseTargetEntries } from '../targets.ts';

const usage = `esimlab load <${loadScenarioNames.join('|')}> [--carrier att] [--rate N] [--duration 30s]
             [--vus N] [--target URL[,URL…]] [--out DIR] [--enforce all|correctness] [--admin-token T]

Load-tests the recharge path with the Node driver, running the same scenario, flow and
thresholds as the k6 script load/recharge.ts. Each iteration buys one top-up as one intent
and retries it the way the carrier's API style makes safe. The run ends with the carrier's
audit: duplicate charges, lost top-ups and any other violation count into its thresholds.
Without --target it starts the carrier itself (a free port, SQLite in a temporary directory).
Writes load-summary.json and load-junit.xml. Ctrl-C stops early (the audit still runs).
Exit code 0 when every enforced threshold held over the whole run, 1 when one was crossed,
the audit found a violation or the run was stopped early, 2 for a bad flag.

scenarios:
  steady  a constant arrival rate (default 20/s for 30s)
  spike   the base rate, a jump to five times it, then back (default 10/s for 1m)
  flaky   steady over a flaky mobile network: the flaky-mobile fault preset (20/s for 30s)
  soak    a long constant rate (default 10/s for 30m)

  --carrier <id>       the carrier to start: ${carrierIds.join(', ')} (default att)
  --rate <n>           top-ups per second (a spike peaks at five times it)
  --duration <d>       how long iterations start, e.g. 30s, 2m, 1m30s
  --vus <n>            the most iterations in flight at once (default three per top-up/s, at least 20)
  --target <url>       a running carrier instead (att=http://127.0.0.1:4101 or a bare URL);
                       its state is reset (seeded) first. Several URLs of one carrier (a comma
                       list, or the flag repeated) are its replicas: iterations spread across
                       them round-robin, a retry after a lost answer goes to the next one
  --out <dir>          where to write the reports (default reports)
  --enforce <which>    all thresholds (default), or only correctness ones (duplicates, lost
                       top-ups, audit violations): latency and error budgets are then reported
  --admin-token <t>    sent as X-Sim-Admin-Token to a --target carrier; default ESIMLAB_ADMIN_TOKEN
  --no-color           plain output (also when NO_COLOR is set or output is not a terminal)
  --help               this text`;

/** `esimlab load`: a recharge load scenario on the Node driver, judged by thresholds and the audit. */
export const loadCommand: CliCommand = {
  name: 'load',
  summary:
    'load-test the recharge path (steady, spike, flaky, soak); fails on any duplicate charge',
  usage,
  async run(args, io) {
    const flags = parseLoadFlags(args);
    const env = envOf(io);
    const adminToken = flags.adminToken ?? (env.ESIMLAB_ADMIN_TOKEN || undefined);
    const color = flags.color && env.NO_COLOR === undefined && isTerminal(io);
    const stopSignal = stopSignalOf(io);
    const outDir = resolve(cwdOf(io), flags.outDir);
    await prepareOutputDir(outDir, '--out');

    let target: ReplicaTargets;
    let started: { running: RunningCarriers<CarrierId>; dataDir: string } | undefined;
    if (flags.targets !== undefined) {
      target = await resolveReplicaTargets(flags.targets, flags.carrier);
      if (target.urls.length > 1) {
        io.out(
          `Spreading load across ${target.urls.length} replicas of ${target.carrier}: ${target.urls.join(', ')}`,
        );
      }
    } else {
      const carrier = flags.carrier ?? 'att';
      started = await startLocalCarrier(carrier);
      target = { carrier, urls: [started.running.urls[carrier]] };
      io.out(`Started ${carrier} on ${target.urls[0]} (SQLite in ${started.dataDir})`);
    }

    try {
      const result = await runRechargeLoad({
        baseUrl: target.urls,
        scenario: flags.scenario,
        settings: flags.settings,
        enforcement: flags.enforcement,
        outDir,
        progress: isTerminal(io)
          ? { mode: 'tty', write: (chunk) => process.stdout.write(chunk) }
          : { mode: 'lines', line: (text) => io.out(text) },
        ...(adminToken === undefined ? {} : { adminToken }),
        ...(stopSignal === undefined ? {} : { stopSignal }),
      }).catch((error: unknown) => {
        throw error instanceof LoadSetupError
          ? new CliFailure(failureCodes[error.code], error.message)
          : error;
      });
      // The summary says what else failed the run (stopped early, a failed teardown).
      report(result, io, color);
      return result.passed ? 0 : 1;
    } finally {
      if (started !== undefined) {
        await started.running.stop();
        await rm(started.dataDir, { recursive: true, force: true });
      }
    }
  },
};

interface LoadFlags {
  readonly scenario: (typeof loadScenarioNames)[number];
  readonly carrier: CarrierId | undefined;
  readonly settings: ScenarioSettings;
  readonly targets: readonly string[] | undefined;
  readonly outDir: string;
  readonly enforcement: Enforcement;
  readonly adminToken: string | undefined;
  readonly color: boolean;
}

function parseLoadFlags(args: readonly string[]): LoadFlags {
  let parsed: ReturnType<typeof parseLoadArgs>;
  try {
    parsed = parseLoadArgs(args);
  } catch (error) {
    throw flagError(error, args, [
      'carrier',
      'rate',
      'duration',
      'vus',
      'target',
      'out',
      'enforce',
      'admin-token',
      'no-color',
    ]);
  }
  const { values, positionals } = parsed;
  const [name, ...extra] = positionals;
  if (name === undefined) {
    throw new CliUsageError(
      `name a scenario: esimlab load <${loadScenarioNames.join('|')}> (e.g. esimlab load steady)`,
    );
  }
  if (extra.length > 0) {
    throw new CliUsageError(`one scenario at a time; got "${positionals.join('", "')}"`);
  }
  const scenario = setting(parseScenarioName(name, 'scenario'));
  if (values.carrier !== undefined && !isCarrierId(values.carrier)) {
    throw new CliUsageError(
      `--carrier "${values.carrier}" is not a carrier; use ${carrierIds.join(', ')}`,
    );
  }
  const enforce = values.enforce ?? 'all';
  if (enforce !== 'all' && enforce !== 'correctness') {
    throw new CliUsageError(
      `--enforce "${enforce}" must be all (every threshold) or correctness (money only)`,
    );
  }
  const rate = values.rate === undefined ? undefined : setting(parseRate(values.rate, '--rate'));
  const durationMs =
    values.duration === undefined
      ? undefined
      : setting(parseRunDuration(values.duration, '--duration'));
  const vus = values.vus === undefined ? undefined : setting(parseVus(values.vus, '--vus'));
  return {
    scenario,
    carrier: values.carrier as CarrierId | undefined,
    settings: {
      ...(rate === undefined ? {} : { rate }),
      ...(durationMs === undefined ? {} : { durationMs }),
      ...(vus === undefined ? {} : { vus }),
    },
    targets: values.target,
    outDir: values.out ?? 'reports',
    enforcement: enforce,
    adminToken: values['admin-token'],
    color: !values['no-color'],
  };
}

function parseLoadArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: {
      carrier: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      vus: { type: 'string' },
      target: { type: 'string', multiple: true },
      out: { type: 'string' },
      enforce: { type: 'string' },
      'admin-token': { type: 'string' },
      'no-color': { type: 'boolean', default: false },
    },
  });
}

function setting<T>(parsed: SettingParse<T>): T {
  if (!parsed.ok) throw new CliUsageError(parsed.message);
  return parsed.value;
}

/** One carrier and the URLs of its replicas (one for a single process). */
interface ReplicaTargets {
  readonly carrier: CarrierId;
  readonly urls: readonly string[];
}

/**
 * The `--target` values as the replicas of one carrier. Each entry is parsed and identified
 * on its own: unlike other commands, naming a carrier twice here means two of its replicas.
 */
async function resolveReplicaTargets(
  values: readonly string[],
  carrier: CarrierId | undefined,
): Promise<ReplicaTargets> {
  const entries = values
    .flatMap((value) => value.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .flatMap((entry) => parseTargetEntries([entry]));
  if (entries.length === 0) {
    throw new CliUsageError(
      '--target needs a carrier URL, e.g. --target att=http://127.0.0.1:4101',
    );
  }
  const found = (await Promise.all(entries.map((entry) => identifyTargets([entry])))).flat();
  const [first] = found;
  if (first === undefined) throw new CliUsageError('--target needs a carrier URL');
  const other = found.find((t) => t.carrier !== first.carrier);
  if (other !== undefined) {
    throw new CliUsageError(
      `--target names ${first.carrier} (${first.url}) and ${other.carrier} (${other.url}); a load run drives one carrier, whose replicas may be listed (e.g. --target att=http://127.0.0.1:4101,att=http://127.0.0.1:4201)`,
    );
  }
  const urls = found.map((t) => t.url);
  const repeated = urls.find((url, i) => urls.indexOf(url) !== i);
  if (repeated !== undefined) {
    throw new CliUsageError(`--target lists ${repeated} twice; give each replica once`);
  }
  if (carrier !== undefined && carrier !== first.carrier) {
    throw new CliUsageError(
      `--carrier ${carrier} but --target ${first.url} is ${first.carrier}; drop --carrier or point --target at ${carrier}`,
    );
  }
  return { carrier: first.carrier, urls };
}

async function startLocalCarrier(carrier: CarrierId) {
  const dataDir = await mkdtemp(join(tmpdir(), 'esimlab-load-'));
  try {
    const running = await startCarriers<CarrierId>({
      carriers: [carrier],
      ports: { [carrier]: 0 },
      store: 'sqlite',
      dataDir,
      logLevel: 'warn',
      // Its warnings would tear the progress line; the audit reports what matters.
      onLog: () => undefined,
    });
    return { running, dataDir };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    if (error instanceof CarrierStartError) {
      throw new CliFailure('carrier_start_failed', error.message);
    }
    throw error;
  }
}

const failureCodes: Readonly<Record<LoadSetupErrorCode, CliFailureCode>> = {
  carrier_unreachable: 'carrier_unreachable',
  not_a_carrier: 'carrier_not_identified',
  admin_token_rejected: 'admin_token_rejected',
  api_key_rejected: 'unexpected_response',
  unexpected_answer: 'unexpected_response',
  no_boost_plan: 'unexpected_response',
  not_one_carrier: 'carrier_not_identified',
  replicas_not_shared: 'unexpected_response',
  nothing_seeded: 'unexpected_response',
};

function report(result: RechargeLoadResult, io: CliIo, color: boolean): void {
  const run = result.data;
  io.out(
    textSummary(result.summary, {
      color,
      title: `${result.plan.name} on ${run.carrier} (${run.apiStyle} style, faults: ${run.faults}): ${describeExecutor(result.plan.executor)}`,
    }),
  );
  const { ok, failed, unknown } = result.outcomes;
  io.out(`Intents: ${ok} ok, ${failed} failed, ${unknown} unknown`);
  io.out(describeAudit(result.audit, run.carrier));
  for (const error of result.iterationErrors) io.out(`An iteration failed to run: ${error}`);
  const crossed = result.thresholds.filter((t) => t.enforced && !t.ok);
  for (const t of crossed) {
    const actual = actualOf(result.summary.metrics[t.metric], t.expression) ?? String(t.actual);
    io.out(`✗ ${t.metric} crossed '${t.expression}' (${actual})`);
  }
  if (result.files.length > 0) {
    const shown = result.files.map((file) => {
      const path = relative(cwdOf(io), file);
      return path === '' || path.startsWith('..') ? file : path;
    });
    io.out(`Reports: ${shown.join(', ')}`);
  }
}

function describeExecutor(executor: ExecutorConfig): string {
  switch (executor.executor) {
    case 'constant-arrival-rate':
      return `${executor.rate} top-ups/s for ${executor.duration}, up to ${executor.maxVUs} VUs`;
    case 'ramping-arrival-rate': {
      const peak = Math.max(executor.startRate, ...executor.stages.map((s) => s.target));
      const stages = executor.stages.map((s) => `${s.target}/s over ${s.duration}`).join(', ');
      return `from ${executor.startRate} to ${peak} top-ups/s (${stages}), up to ${executor.maxVUs} VUs`;
    }
    case 'constant-vus':
      return `${executor.vus} VUs for ${executor.duration}`;
  }
}

const isTerminal = (io: CliIo) => io === processIo && process.stdout.isTTY === true;

// Ctrl-C stops the run early, like k6: iterations are interrupted, the audit still runs.
function stopSignalOf(io: CliIo): AbortSignal | undefined {
  if (io.stopSignal !== undefined) return io.stopSignal;
  if (io !== processIo) return undefined;
  const controller = new AbortController();
  void untilStopped(io).then((reason) => controller.abort(reason));
  return controller.signal;
}
