/**
 * `pnpm bench`: esimlab's speed against its floor, side by side in one run with one driver
 * and one connection count: (1) a bare node:http JSON echo, (2) a bare Express 5 JSON echo,
 * (3) the recharge path of a real att carrier process (idempotent style, SQLite, no faults),
 * (4) the same under flaky-mobile, (5) the fault proxy passing through to (1), and (6) the
 * recharge path at a fixed 1,000 top-ups/s (or --fixed-rate N). Also the driver against
 * autocannon on (1), the carrier's RSS over 100,000 top-ups (1,000,000 with --long), and (3)'s
 * purchase replayed from its idempotency key, the same request writing nothing
 * (`recharge-replay`). Not a test: it prints which targets were met and exits 0 unless a
 * benchmark could not run. See load/README.md.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeAudit } from '../src/index.ts';
import {
  type BenchName,
  type BenchSettings,
  benchNames,
  benchUsage,
  fixedRateBenchName,
  type ProfiledLoad,
  parseBenchSettings,
} from './bench-settings.ts';
import { type CarrierUnderTest, startCarrierUnderTest } from './internal/carrier-under-test.ts';
import { isRechargeRun, type RechargeRun, watchCarrierWindow } from './internal/carrier-window.ts';
import { summarizeCpuProfile } from './internal/cpu-profile-summary.ts';
import { describeMainThread } from './internal/main-thread-time.ts';
import { type RssSample, rssAtMarks, sampleRss } from './internal/rss-sampler.ts';
import { type ServerProcess, startServerProcess } from './internal/server-process.ts';
import {
  costliestStatements,
  type SqliteTime,
  sqliteTimeBetween,
  sqliteTimeSnapshot,
} from './internal/sqlite-time.ts';
import { type BenchSummary, median, ratioOf, summarizeRounds } from './report/bench-summary.ts';
import { judgeTargets, type MemoryFigures } from './report/bench-targets.ts';
import { runAutocannonEcho } from './workloads/autocannon-load.ts';
import { runEchoLoad } from './workloads/echo-load.ts';
import { type Measurement, roundMs } from './workloads/measurement.ts';
import {
  type RechargeLoadSpec,
  type RechargeMeasurement,
  runRechargeBench,
} from './workloads/recharge-load.ts';

// The repository's reports/, where `pnpm bench` is run from.
const reportsDir = fileURLToPath(new URL('../../reports/', import.meta.url));
const parsed = parseBenchSettings(process.argv.slice(2), process.env, reportsDir);
if (parsed.ok === 'help') {
  console.log(benchUsage);
  process.exit(0);
}
if (!parsed.ok) {
  console.error(`bench: ${parsed.message}`);
  process.exit(2);
}
const settings = parsed.settings;
const selected = (name: BenchName) => settings.only === undefined || settings.only.includes(name);
const saturationBenches = benchNames.filter((n) => n !== 'recharge-fixed-1000' && selected(n));
const log = (line: string) => console.log(line);

const startedAt = new Date();
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
const loadBefore = loadavg()[0] ?? 0;
log(`esimlab benchmarks, ${startedAt.toISOString()}`);
log(`machine: ${machine}; load average ${loadBefore.toFixed(2)} before the run`);
log(
  `${settings.connections} connections; ${settings.rounds} rounds of ${settings.measureMs / 1000} s per benchmark after a warm-up round; every server in its own process`,
);

let topups = 0;
const countTopup = () => {
  topups += 1;
};
const servers: ServerProcess[] = [];
let carrier: CarrierUnderTest | undefined;
let rss: ReturnType<typeof sampleRss> | undefined;
const rounds: Map<BenchName, Measurement>[] = [];
const rechargeRuns: RechargeRun[] = [];
const comparison = { driver: [] as Measurement[], autocannon: [] as Measurement[] };
let fixed: RechargeRun | undefined;
let memory: MemoryFigures | undefined;
let failure: unknown;

try {
  const nodeEcho = await startServerProcess('node-http-echo', 'node-http-echo');
  servers.push(nodeEcho);
  const expressEcho = await startServerProcess('express-echo', 'express-echo');
  servers.push(expressEcho);
  const proxy = await startServerProcess('fault-proxy', 'fault-proxy-pass-through', [
    nodeEcho.address,
  ]);
  servers.push(proxy);
  carrier = await startCarrierUnderTest();
  const running = carrier;
  rss = sampleRss(
    () => running.pid(),
    () => topups,
  );

  const recharge = async (spec: Omit<RechargeLoadSpec, 'baseUrl' | 'subscribers'>) => {
    const window = watchCarrierWindow(() => running.pid());
    const measured = window.measured(
      await runRechargeBench({
        ...spec,
        baseUrl: running.url,
        subscribers: settings.subscribers,
        onWindowStart: window.onWindowStart,
        onWindowEnd: window.onWindowEnd,
      }),
    );
    rechargeRuns.push(measured);
    return measured;
  };

  const measure = (name: BenchName, durationMs: number): Promise<Measurement> => {
    switch (name) {
      case 'node-http-echo':
        return runEchoLoad(name, nodeEcho.url, settings.connections, durationMs);
      case 'express-echo':
        return runEchoLoad(name, expressEcho.url, settings.connections, durationMs);
      case 'fault-proxy-echo':
        return runEchoLoad(name, proxy.url, settings.connections, durationMs);
      case 'recharge':
        return recharge({
          name,
          load: { kind: 'saturation', connections: settings.connections },
          durationMs,
          onTopup: countTopup,
        });
      case 'recharge-replay':
        return recharge({
          name,
          load: { kind: 'saturation', connections: settings.connections },
          durationMs,
          replay: true,
        });
      case 'recharge-flaky-mobile':
        return recharge({
          name,
          load: { kind: 'saturation', connections: settings.connections },
          durationMs,
          faults: { preset: 'flaky-mobile' },
          // Seeded rolls: every run fails the same share of requests the same way.
          faultSeed: 8,
          onTopup: countTopup,
        });
      case 'recharge-fixed-1000':
        return recharge({
          name: fixedRateBenchName(settings.fixedRate),
          load: fixedRateLoad(settings),
          durationMs,
          onTopup: countTopup,
        });
    }
  };

  log(`\nwarm-up round (${settings.warmupMs / 1000} s each)`);
  for (const name of saturationBenches)
    log(`  ${formatRun(await measure(name, settings.warmupMs))}`);
  for (let round = 0; round < settings.rounds; round++) {
    log(`\nround ${round + 1}/${settings.rounds}`);
    const results = new Map<BenchName, Measurement>();
    // Each round starts one further along, so no benchmark always follows the same one.
    for (let i = 0; i < saturationBenches.length; i++) {
      const name = saturationBenches[(i + round) % saturationBenches.length] as BenchName;
      const m = await measure(name, settings.measureMs);
      results.set(name, m);
      log(`  ${formatRun(m)}`);
    }
    rounds.push(results);
  }

  if (selected('node-http-echo')) {
    log(`\ndriver vs autocannon on node-http-echo (${settings.comparisonPairs} alternating pairs)`);
    for (let pair = 0; pair < settings.comparisonPairs; pair++) {
      const order =
        pair % 2 === 0 ? (['driver', 'autocannon'] as const) : (['autocannon', 'driver'] as const);
      for (const tool of order) {
        const m =
          tool === 'driver'
            ? await runEchoLoad('driver', nodeEcho.url, settings.connections, settings.measureMs)
            : await runAutocannonEcho(nodeEcho.url, settings.connections, settings.measureMs);
        comparison[tool].push(m);
        log(`  ${formatRun(m)}`);
      }
    }
  }

  if (selected('recharge-fixed-1000')) {
    log(
      `\n${fixedRateBenchName(settings.fixedRate)}: ${settings.fixedRate} top-ups/s for ${settings.fixedMs / 1000} s (after ${settings.warmupMs / 1000} s at that rate)`,
    );
    await measure('recharge-fixed-1000', settings.warmupMs);
    const measured = await measure('recharge-fixed-1000', settings.fixedMs);
    if (isRechargeRun(measured)) fixed = measured;
    log(`  ${formatRun(measured)}`);
  }

  if (settings.only === undefined) {
    const goal = settings.memoryTopups;
    log(
      `\nmemory soak: top-ups until the carrier has taken ${goal.toLocaleString('en-US')} (${topups.toLocaleString('en-US')} so far), seeded once, audited every ${settings.topupsPerAudit.toLocaleString('en-US')}`,
    );
    // Seeded once: the journals, ledger, keys and charges of every part stay in the carrier,
    // so its memory is measured against the whole soak's history.
    for (let part = 0; topups < goal; part++) {
      const stop = new AbortController();
      const until = Math.min(goal, topups + settings.topupsPerAudit);
      const run = await recharge({
        name: 'recharge-soak',
        reuseSeeded: part > 0,
        load: { kind: 'saturation', connections: settings.connections },
        durationMs: 3_600_000,
        onTopup: () => {
          countTopup();
          if (topups >= until) stop.abort();
        },
        stopSignal: stop.signal,
      });
      log(
        `  ${formatRun(run)}; ${topups.toLocaleString('en-US')} top-ups in all, carrier RSS ${mib(rss.samples.at(-1)?.rssBytes ?? 0)}`,
      );
    }
    memory = {
      topups,
      goalTopups: goal,
      maxRssBytes: rss.maxBytes,
      atMarksBytes: rssAtMarks(rss.samples, goal).map((m) => m.rssBytes),
    };
  }

  if (settings.profile !== undefined) await profileCarrier(settings, settings.profile);
} catch (error) {
  failure = error;
} finally {
  rss?.stop();
  await carrier?.stop().catch((error: unknown) => log(`could not stop the carrier: ${error}`));
  await Promise.all(servers.map((server) => server.stop()));
}

const summaries = summarizeRounds(rounds, benchNames.filter(selected));
const rows: BenchSummary[] = [...summaries];
if (fixed !== undefined) {
  const base = (name: BenchName) => summaries.find((s) => s.name === name)?.rps;
  const against = (rps: number | undefined) =>
    rps === undefined ? undefined : ratioOf([(fixed as RechargeRun).rps / rps]);
  const vsNodeEcho = against(base('node-http-echo'));
  const vsExpressEcho = against(base('express-echo'));
  rows.push({
    name: fixedRateBenchName(settings.fixedRate),
    rounds: 1,
    rps: fixed.rps,
    rpsMin: fixed.rps,
    rpsMax: fixed.rps,
    p50Ms: fixed.p50Ms,
    p99Ms: fixed.p99Ms,
    ...(vsNodeEcho ? { vsNodeEcho } : {}),
    ...(vsExpressEcho ? { vsExpressEcho } : {}),
  });
}

if (rows.length > 0) {
  log(`\nresults: medians of ${settings.rounds} rounds, ${settings.connections} connections`);
  log(
    `${'benchmark'.padEnd(22)} ${'req/s'.padStart(8)} ${'(rounds)'.padStart(13)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(9)} ${'× (1)'.padStart(6)} ${'× (2)'.padStart(6)}`,
  );
  for (const row of rows) {
    log(
      `${row.name.padEnd(22)} ${row.rps.toFixed(0).padStart(8)} ${`${row.rpsMin.toFixed(0)}-${row.rpsMax.toFixed(0)}`.padStart(13)} ${row.p50Ms.toFixed(2).padStart(8)} ${row.p99Ms.toFixed(2).padStart(9)} ${(row.vsNodeEcho?.median.toFixed(2) ?? '-').padStart(6)} ${(row.vsExpressEcho?.median.toFixed(2) ?? '-').padStart(6)}`,
    );
  }
}

// A recharge benchmark's runs in the measured rounds, not the warm-up's.
const measuredRuns = (name: BenchName): RechargeRun[] =>
  rounds.flatMap((round) => {
    const run = round.get(name);
    return run !== undefined && isRechargeRun(run) ? [run] : [];
  });
const carrierCpu = (runs: readonly RechargeRun[]): number[] =>
  runs.flatMap((r) => (r.carrierCpuMsPerTopup === undefined ? [] : [r.carrierCpuMsPerTopup]));
const saturationRuns = measuredRuns('recharge');
const cpuPerTopup = carrierCpu(saturationRuns);
const cpuPerReplay = carrierCpu(measuredRuns('recharge-replay'));
const mainThreadAtSaturation = saturationRuns.flatMap((r) =>
  r.carrierMainThread === undefined ? [] : [r.carrierMainThread],
);
const audits = rechargeRuns.map((run) => run.audit);
const unclean = audits.filter((a) => a.status !== 'audited' || !a.ok).length;
if (rechargeRuns.length > 0) {
  const sum = (f: (r: RechargeMeasurement) => number, replay = false) =>
    rechargeRuns.reduce((total, r) => (r.replay === replay ? total + f(r) : total), 0);
  const outcomes = (replay: boolean) =>
    `ok ${sum((r) => r.outcomes.ok, replay)}, failed ${sum((r) => r.outcomes.failed, replay)}, unknown ${sum((r) => r.outcomes.unknown, replay)}`;
  const replays = rechargeRuns.some((r) => r.replay) ? `; replays ${outcomes(true)}` : '';
  log(
    `\nrecharge: ${rechargeRuns.length} runs, intents ${outcomes(false)}${replays}; audits clean ${audits.length - unclean}/${audits.length}`,
  );
}
if (cpuPerTopup.length > 0) {
  log(`carrier CPU per top-up at saturation: ${median(cpuPerTopup).toFixed(2)} ms (median)`);
}
if (mainThreadAtSaturation.length > 0) {
  const percents = (shares: number[]) => {
    const [low, high] = [Math.min(...shares), Math.max(...shares)].map((s) => Math.round(s * 100));
    return low === high ? `${low} %` : `${low}-${high} %`;
  };
  log(
    `carrier main thread at saturation: ${percents(mainThreadAtSaturation.map((m) => m.busyShare))} busy, ${percents(mainThreadAtSaturation.map((m) => m.waitingShare))} waiting for a core, by round`,
  );
}
if (memory !== undefined && rss !== undefined) {
  log(`carrier RSS by top-ups taken: ${rssTrajectory(rss.samples, memory.goalTopups)}`);
}
const driverVsAutocannon = ratioOf(
  comparison.driver.flatMap((d, i) => {
    const a = comparison.autocannon[i];
    return a && a.rps > 0 ? [d.rps / a.rps] : [];
  }),
);
if (driverVsAutocannon !== undefined) {
  log(
    `driver ${median(comparison.driver.map((m) => m.rps)).toFixed(0)} req/s, autocannon ${median(comparison.autocannon.map((m) => m.rps)).toFixed(0)} req/s on node-http-echo`,
  );
}
const loadAfter = loadavg()[0] ?? 0;
const elapsedS = (Date.now() - startedAt.getTime()) / 1000;
log(`load average ${loadAfter.toFixed(2)} after the run; ${elapsedS.toFixed(0)} s in all`);

const verdicts = judgeTargets({
  summaries,
  fixed,
  fixedRate: settings.fixedRate,
  memory,
  driverVsAutocannon,
});
log('\ntargets');
for (const v of verdicts) {
  const mark = v.status === 'met' ? 'MET   ' : v.status === 'missed' ? 'MISSED' : 'n/a   ';
  log(`  ${mark} ${v.target}: ${v.actual}`);
}
if (rechargeRuns.length > 0) {
  log(
    `  ${unclean === 0 ? 'MET   ' : 'MISSED'} every recharge run's audit clean: ${audits.length - unclean}/${audits.length}`,
  );
}
const replayVsExpress = summaries.find((s) => s.name === 'recharge-replay')?.vsExpressEcho;
if (replayVsExpress !== undefined) {
  const cpu =
    cpuPerReplay.length > 0 && cpuPerTopup.length > 0
      ? `, at ${median(cpuPerReplay).toFixed(2)} ms of carrier CPU per answer against ${median(cpuPerTopup).toFixed(2)} ms per top-up`
      : '';
  log(
    `  floor  a purchase answered from its idempotency key, writing nothing (recharge-replay): ${replayVsExpress.median.toFixed(2)}× the Express echo${cpu}`,
  );
}

if (rows.length > 0) {
  await mkdir(settings.reportsDir, { recursive: true });
  const benchFile = join(settings.reportsDir, 'bench.json');
  const report = rows.map((row) => ({
    name: row.name,
    rps: Math.round(row.rps),
    p50Ms: roundMs(row.p50Ms),
    p99Ms: roundMs(row.p99Ms),
  }));
  await writeFile(benchFile, `${JSON.stringify(report, null, 2)}\n`);
  const detailsFile = join(settings.reportsDir, 'bench-run.json');
  const details = {
    startedAt: startedAt.toISOString(),
    elapsedS: Math.round(elapsedS),
    machine,
    loadAverage: { before: loadBefore, after: loadAfter },
    settings: { ...settings, reportsDir: undefined },
    benchmarks: rows,
    fixed,
    carrierCpuMsPerTopup: cpuPerTopup,
    carrierCpuMsPerReplay: cpuPerReplay,
    carrierMainThreadAtSaturation: mainThreadAtSaturation,
    driverVsAutocannon: { ratio: driverVsAutocannon, ...comparison },
    memory:
      memory === undefined || rss === undefined
        ? undefined
        : { ...memory, trajectory: rssTrajectory(rss.samples, memory.goalTopups) },
    targets: verdicts,
    audits: { runs: audits.length, clean: audits.length - unclean },
  };
  await writeFile(detailsFile, `${JSON.stringify(details, null, 2)}\n`);
  log(`\nwrote ${benchFile}\nand   ${detailsFile}`);
}

if (failure !== undefined) {
  console.error(`\nbench: a benchmark could not run: ${(failure as Error)?.stack ?? failure}`);
  process.exit(1);
}
process.exit(0);

function formatRun(run: Measurement): string {
  const base = `${run.name.padEnd(22)} ${run.rps.toFixed(0).padStart(7)} req/s  p50 ${run.p50Ms.toFixed(2).padStart(7)} ms  p99 ${run.p99Ms.toFixed(2).padStart(8)} ms`;
  if (!isRechargeRun(run)) return base;
  const unit = run.replay ? 'replay' : 'top-up';
  const cpu =
    run.carrierCpuMsPerTopup === undefined
      ? ''
      : `, carrier ${run.carrierCpuMsPerTopup.toFixed(2)} ms CPU/${unit}`;
  const busy =
    run.carrierMainThread === undefined ? '' : `, ${describeMainThread(run.carrierMainThread)}`;
  const dropped = run.dropped > 0 ? `, ${run.dropped} dropped` : '';
  const line = `${base}  ${run.topupsPerSecond.toFixed(0)} ${unit}s/s${cpu}${busy}${dropped}`;
  if (run.audit.status === 'audited' && run.audit.ok) return line;
  // An unclean audit is the one result that matters more than speed: show what it found.
  return `${line}\n${describeAudit(run.audit, 'att').replace(/^/gm, '    ')}`;
}

/**
 * The profiled run's SQLite time per top-up, against the carrier's CPU and against what half
 * the Express echo's rate leaves a top-up of the carrier's one thread.
 */
function describeSqliteTime(
  time: SqliteTime | undefined,
  cpuMsPerTopup: number | undefined,
  topups: number,
  expressRps: number | undefined,
): string[] {
  if (time === undefined || topups === 0)
    return ['SQLite time: not measured (the carrier did not answer SIGUSR2)'];
  const per = (value: number) => value / topups;
  const sqliteMs = per(time.statementMs + time.commitMs);
  const share =
    cpuMsPerTopup === undefined
      ? ''
      : ` of the carrier's ${cpuMsPerTopup.toFixed(2)} ms CPU (${((100 * sqliteMs) / cpuMsPerTopup).toFixed(0)} %)`;
  const lines = [
    `SQLite per top-up (statements timed in the carrier): ${per(time.statements).toFixed(1)} statements (savepoints included), ${per(time.statementMs).toFixed(2)} ms; ${per(time.commits).toFixed(2)} commits, ${per(time.commitMs).toFixed(2)} ms; ${sqliteMs.toFixed(2)} ms in all${share}`,
  ];
  if (expressRps !== undefined) {
    lines.push(
      `half the Express echo's ${expressRps.toFixed(0)} req/s leaves a top-up ${(2000 / expressRps).toFixed(2)} ms of the carrier's one thread; SQLite alone took ${sqliteMs.toFixed(2)} ms`,
    );
  }
  lines.push('the costliest statements, per top-up (µs, runs, share of SQLite time, SQL):');
  const total = time.statementMs + time.commitMs;
  for (const { sql, runs, ms } of costliestStatements(time, 10)) {
    const micros = `${(per(ms) * 1000).toFixed(1)} µs`.padStart(9);
    const share = `${((100 * ms) / total).toFixed(1)} %`.padStart(6);
    lines.push(`  ${micros}  ${per(runs).toFixed(2).padStart(5)}  ${share}  ${clip(sql, 110)}`);
  }
  return lines;
}

function clip(text: string, length: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= length ? oneLine : `${oneLine.slice(0, length - 1)}…`;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

function rssTrajectory(samples: readonly RssSample[], goal: number): string {
  return rssAtMarks(samples, goal)
    .map((m) => `${(m.topups / 1000).toFixed(0)}k ${mib(m.rssBytes)}`)
    .join(', ');
}

/** The fixed-rate benchmark's load: `fixedRate` arrivals per second over `connections`. */
function fixedRateLoad(options: BenchSettings): RechargeLoadSpec['load'] {
  return {
    kind: 'fixed-rate',
    rate: options.fixedRate,
    connections: options.connections,
    maxVUs: options.connections * 4,
  };
}

/**
 * A second carrier, profiled under the recharge load (saturating, or at the fixed rate with
 * `--profile-at fixed-rate`), then summarized.
 */
async function profileCarrier(options: BenchSettings, at: ProfiledLoad): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'esimlab-bench-profile-'));
  try {
    log(
      at === 'fixed-rate'
        ? `\nprofiling the carrier under the recharge load at ${options.fixedRate} top-ups/s`
        : '\nprofiling the carrier under the saturating recharge load',
    );
    const profiled = await startCarrierUnderTest({ profileDir: dir, sqliteTimeDir: dir });
    let sqlite: string[] = [];
    try {
      const spec: Pick<RechargeLoadSpec, 'name' | 'baseUrl' | 'load' | 'subscribers'> = {
        name: 'recharge-profiled',
        baseUrl: profiled.url,
        load:
          at === 'fixed-rate'
            ? fixedRateLoad(options)
            : { kind: 'saturation', connections: options.connections },
        subscribers: options.subscribers,
      };
      await runRechargeBench({ ...spec, durationMs: options.warmupMs });
      // Both read around the measured window: the seeding and the audit are left out.
      const window = watchCarrierWindow(() => profiled.pid());
      let sqliteStart: SqliteTime | undefined;
      let sqliteEnd: SqliteTime | undefined;
      const run = window.measured(
        await runRechargeBench({
          ...spec,
          durationMs: 10_000,
          onWindowStart: async () => {
            await window.onWindowStart();
            sqliteStart = await sqliteTimeSnapshot(dir, profiled.pid());
          },
          onWindowEnd: async () => {
            await window.onWindowEnd();
            sqliteEnd = await sqliteTimeSnapshot(dir, profiled.pid());
          },
        }),
      );
      log(`  ${formatRun(run)}`);
      const sqliteTime =
        sqliteStart === undefined || sqliteEnd === undefined
          ? undefined
          : sqliteTimeBetween(sqliteStart, sqliteEnd);
      // The Express echo's median over the rounds, if it ran.
      const [expressEcho] = summarizeRounds(rounds, ['express-echo']);
      sqlite = describeSqliteTime(
        sqliteTime,
        run.carrierCpuMsPerTopup,
        run.outcomes.ok,
        expressEcho?.rps,
      );
    } finally {
      await profiled.stop();
    }
    const [file] = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error('the profiled carrier wrote no profile');
    await mkdir(options.reportsDir, { recursive: true });
    const kept = join(options.reportsDir, 'carrier-recharge.cpuprofile');
    await copyFile(join(dir, file), kept);
    const summary = await summarizeCpuProfile(kept);
    log(`  wrote ${kept} (${summary.samples} samples; open it in Chrome DevTools or speedscope)`);
    log('  self time (native SQLite and JSON work is charged to the function that called it):');
    for (const f of summary.self)
      log(`    ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.frame}`);
    log('  inclusive time, carrier and store code:');
    for (const f of summary.inclusive) {
      log(`    ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.frame}`);
    }
    for (const line of sqlite) log(`  ${line}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
