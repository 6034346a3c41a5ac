/**
 * What one `pnpm bench` run measures and for how long: the only module of the benchmarks that
 * reads the command line and the environment.
 */
import { TARGET_FIXED_RATE } from './report/bench-targets.ts';

/** The side-by-side benchmarks, in the order they are printed. */
export const benchNames = [
  'node-http-echo',
  'express-echo',
  'recharge',
  'recharge-replay',
  'recharge-flaky-mobile',
  'fault-proxy-echo',
  'recharge-fixed-1000',
] as const;
export type BenchName = (typeof benchNames)[number];

export interface BenchSettings {
  /** Concurrent connections (closed-loop VUs) of every saturation benchmark. */
  readonly connections: number;
  /** Rounds of the side-by-side benchmarks, interleaved; medians are reported. */
  readonly rounds: number;
  /** Each benchmark's measured window in a round, after its warm-up. */
  readonly measureMs: number;
  readonly warmupMs: number;
  /** driver / autocannon pairs against the bare node:http echo. */
  readonly comparisonPairs: number;
  /**
   * The fixed-rate run (`recharge-fixed-1000`): top-ups per second and how long. At another
   * rate than the target's, its row is named `recharge-fixed-<rate>` and the target is not judged.
   */
  readonly fixedRate: number;
  readonly fixedMs: number;
  /** Top-ups the one carrier process must take over the run while its RSS is sampled. */
  readonly memoryTopups: number;
  /**
   * The memory soak runs in parts of this many top-ups, each ending with the carrier's audit;
   * only the first seeds (resets) the carrier, so its state grows over the whole soak.
   */
  readonly topupsPerAudit: number;
  /** Subscribers seeded per recharge run (the carrier's maximum). */
  readonly subscribers: number;
  /**
   * Also write and summarize a CPU profile of the carrier under the recharge load, at
   * saturation or at the fixed rate (`fixedRate`); undefined: no profile.
   */
  readonly profile: ProfiledLoad | undefined;
  /** Only these benchmarks (the memory soak runs only with all of them). */
  readonly only: readonly BenchName[] | undefined;
  readonly long: boolean;
  /** Where bench.json goes. */
  readonly reportsDir: string;
}

/** The load the profiled carrier runs under (`--profile-at`). */
export const profiledLoads = ['saturation', 'fixed-rate'] as const;
export type ProfiledLoad = (typeof profiledLoads)[number];

export type BenchSettingsParse =
  | { readonly ok: true; readonly settings: BenchSettings }
  | { readonly ok: false; readonly message: string }
  | { readonly ok: 'help' };

export const benchUsage = `pnpm bench                      the default run (see load/README.md for how long it takes)
pnpm --filter @esimlab/load bench -- [options]

  --long            memory soak over 1,000,000 top-ups instead of 100,000 (tens of minutes;
                    also ESIMLAB_BENCH_LONG=1); never in CI
  --profile         also profile the carrier under the recharge load (node --cpu-prof format):
                    writes reports/carrier-recharge.cpuprofile and prints its hottest functions
  --profile-at LOAD profile under this load: saturation (the default) or fixed-rate (at
                    --fixed-rate's rate, 1,000 top-ups/s by default); implies --profile
  --only a,b        run only these benchmarks (no memory soak): ${benchNames.join(', ')}
  --rounds N        side-by-side rounds (default 3)
  --measure SECONDS each benchmark's window per round (default 5)
  --fixed-rate N    run recharge-fixed-1000 (and --profile-at fixed-rate) at N top-ups/s instead,
                    for a machine that cannot hold 1,000 (reported as recharge-fixed-N; the
                    target is judged at 1,000 only); refused when the run has neither
  --help`;

/** Reads the flags (and `ESIMLAB_BENCH_LONG`) over the defaults. */
export function parseBenchSettings(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  reportsDir: string,
): BenchSettingsParse {
  let long = env.ESIMLAB_BENCH_LONG === '1' || env.ESIMLAB_BENCH_LONG === 'true';
  let profile: ProfiledLoad | undefined;
  let only: BenchName[] | undefined;
  let rounds = 3;
  let measureMs = 5000;
  let fixedRate: number | undefined;
  const args = argv.filter((arg) => arg !== '--');
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const value = () => args[++i] ?? '';
    switch (arg) {
      case '--help':
      case '-h':
        return { ok: 'help' };
      case '--long':
        long = true;
        break;
      case '--profile':
        profile ??= 'saturation';
        break;
      case '--profile-at': {
        const load = value();
        if (!(profiledLoads as readonly string[]).includes(load)) {
          return {
            ok: false,
            message: `--profile-at takes ${profiledLoads.join(' or ')}; got ${JSON.stringify(load)}`,
          };
        }
        profile = load as ProfiledLoad;
        break;
      }
      case '--only': {
        const names = value().split(',').filter(Boolean);
        const unknown = names.filter((name) => !(benchNames as readonly string[]).includes(name));
        if (names.length === 0 || unknown.length > 0) {
          return {
            ok: false,
            message: `--only takes a comma-separated list among ${benchNames.join(', ')}; got ${JSON.stringify(names.join(','))}`,
          };
        }
        only = names as BenchName[];
        break;
      }
      case '--rounds':
        rounds = Number(value());
        if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) {
          return { ok: false, message: '--rounds takes a whole number from 1 to 20' };
        }
        break;
      case '--measure': {
        const seconds = Number(value());
        if (!Number.isFinite(seconds) || seconds < 1 || seconds > 600) {
          return { ok: false, message: '--measure takes seconds, from 1 to 600' };
        }
        measureMs = Math.round(seconds * 1000);
        break;
      }
      case '--fixed-rate':
        fixedRate = Number(value());
        if (!Number.isInteger(fixedRate) || fixedRate < 1 || fixedRate > 20_000) {
          return {
            ok: false,
            message: '--fixed-rate takes top-ups per second, a whole number from 1 to 20000',
          };
        }
        break;
      default:
        return { ok: false, message: `unknown option ${arg}; see --help` };
    }
  }
  const fixedRateUsed =
    only === undefined || only.includes('recharge-fixed-1000') || profile === 'fixed-rate';
  if (fixedRate !== undefined && !fixedRateUsed) {
    return {
      ok: false,
      message:
        '--fixed-rate sets the rate of recharge-fixed-1000 and of --profile-at fixed-rate, and this run has neither: add recharge-fixed-1000 to --only, or pass --profile-at fixed-rate',
    };
  }
  return {
    ok: true,
    settings: {
      connections: 50,
      rounds,
      measureMs,
      warmupMs: 2000,
      comparisonPairs: 3,
      fixedRate: fixedRate ?? TARGET_FIXED_RATE,
      fixedMs: 15_000,
      memoryTopups: long ? 1_000_000 : 100_000,
      // Each audit reads the whole history kept so far, so a long soak audits less often.
      topupsPerAudit: long ? 100_000 : 25_000,
      subscribers: 200,
      profile,
      only,
      long,
      reportsDir,
    },
  };
}

export type FixedRateBenchName = `recharge-fixed-${number}`;

/** The fixed-rate benchmark's name in the report: `recharge-fixed-<rate>`. */
export function fixedRateBenchName(rate: number): FixedRateBenchName {
  return `recharge-fixed-${rate}`;
}
