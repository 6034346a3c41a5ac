/**
 * What one `pnpm bench:replicas` run measures and against which PostgreSQL: the only module of
 * that benchmark that reads the command line and the environment.
 */
import { formatDuration, parseDuration } from '../src/scenarios/duration.ts';

/** The test server CI starts (trust auth, database `test`), as the PostgreSQL tests use it. */
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_DURATION_MS = 12_000;
const DEFAULT_CONNECTIONS = 50;
/** Well below what one replica sustains here (about 50-130/s), so three still keep up. */
const DEFAULT_RATE_PER_REPLICA = 35;
const MAX_RATE_PER_REPLICA = 1000;
const MIN_DURATION_MS = 2000;
const MAX_DURATION_MS = 600_000;

export interface ReplicaBenchSettings {
  /** Each configuration's measured window, after its warm-up. */
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Closed-loop VUs, the same for every configuration whatever its replica count. */
  readonly connections: number;
  readonly postgresUrl: string;
  /** Replica counts run on PostgreSQL, after the single SQLite process. */
  readonly replicaCounts: readonly number[];
  /**
   * The fixed-rate phase's arrival rate per replica (top-ups/s): every replica count is driven
   * at this times its count, so their costs compare at one load per process.
   */
  readonly ratePerReplica: number;
  /** Subscribers seeded per run (the carrier's maximum). */
  readonly subscribers: number;
  /** Where replicas.json goes. */
  readonly reportsDir: string;
}

export type ReplicaBenchSettingsParse =
  | { readonly ok: true; readonly settings: ReplicaBenchSettings }
  | { readonly ok: false; readonly message: string }
  | { readonly ok: 'help' };

export const replicaBenchUsage = `pnpm --filter @esimlab/load bench:replicas -- [options]

The recharge path (idempotent style, no faults) on one att process on SQLite, then on 1, 2
and 3 att replicas sharing a fresh PostgreSQL schema each, side by side with one driver, at
saturation (a closed loop); then the 1, 2 and 3 replicas again at a fixed arrival rate per
replica. Exits 1 when a run's audit finds a duplicate charge or a lost top-up, or a run fails.

  --duration D      each run's measured window, e.g. 8s, 30s, 1m (default ${formatDuration(DEFAULT_DURATION_MS)};
                    the whole run, seven runs, takes about 2.5 min with it)
  --connections N   concurrent connections (closed-loop VUs) of every saturation run, and the
                    VUs ready for each fixed-rate run (it adds up to three times more) (default ${DEFAULT_CONNECTIONS})
  --rate-per-replica N
                    top-ups/s per replica of the fixed-rate runs, a whole number from 1 to ${MAX_RATE_PER_REPLICA}
                    (default ${DEFAULT_RATE_PER_REPLICA}: ${DEFAULT_RATE_PER_REPLICA}, ${DEFAULT_RATE_PER_REPLICA * 2} and ${DEFAULT_RATE_PER_REPLICA * 3}/s in all); keep it below what one replica sustains
  --postgres URL    the PostgreSQL server the replicas share (default ESIMLAB_TEST_POSTGRES_URL,
                    else ${DEFAULT_POSTGRES_URL}); a schema is made and dropped per run
  --help`;

/** Reads the flags (and `ESIMLAB_TEST_POSTGRES_URL`) over the defaults. */
export function parseReplicaBenchSettings(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  reportsDir: string,
): ReplicaBenchSettingsParse {
  let durationMs = DEFAULT_DURATION_MS;
  let connections = DEFAULT_CONNECTIONS;
  let ratePerReplica = DEFAULT_RATE_PER_REPLICA;
  let postgresUrl = env.ESIMLAB_TEST_POSTGRES_URL || DEFAULT_POSTGRES_URL;
  const args = argv.filter((arg) => arg !== '--');
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? splitOnce(arg) : [arg];
    const value = (): string | undefined => inline ?? args[++i];
    switch (flag) {
      case '--help':
      case '-h':
        return { ok: 'help' };
      case '--duration': {
        const text = value();
        if (text === undefined) return missing('--duration', 'a duration, e.g. 8s or 1m');
        const parsed = parseDuration(text);
        if (!parsed.ok) return { ok: false, message: `--duration: ${parsed.message}` };
        if (parsed.ms < MIN_DURATION_MS || parsed.ms > MAX_DURATION_MS) {
          return {
            ok: false,
            message: `--duration takes ${formatDuration(MIN_DURATION_MS)} to ${formatDuration(MAX_DURATION_MS)}; got ${text}`,
          };
        }
        durationMs = parsed.ms;
        break;
      }
      case '--connections': {
        const text = value();
        if (text === undefined) return missing('--connections', 'a whole number from 1 to 1000');
        connections = Number(text);
        if (!/^\d+$/.test(text) || connections < 1 || connections > 1000) {
          return {
            ok: false,
            message: `--connections takes a whole number from 1 to 1000; got ${JSON.stringify(text)}`,
          };
        }
        break;
      }
      case '--rate-per-replica': {
        const range = `a whole number from 1 to ${MAX_RATE_PER_REPLICA}`;
        const text = value();
        if (text === undefined) return missing('--rate-per-replica', `${range} (top-ups/s)`);
        ratePerReplica = Number(text);
        if (!/^\d+$/.test(text) || ratePerReplica < 1 || ratePerReplica > MAX_RATE_PER_REPLICA) {
          return {
            ok: false,
            message: `--rate-per-replica takes ${range} (top-ups/s); got ${JSON.stringify(text)}`,
          };
        }
        break;
      }
      case '--postgres': {
        const text = value();
        if (text === undefined) return missing('--postgres', `a URL, e.g. ${DEFAULT_POSTGRES_URL}`);
        const problem = postgresUrlProblem(text);
        if (problem !== undefined) return { ok: false, message: `--postgres: ${problem}` };
        postgresUrl = text;
        break;
      }
      default:
        return { ok: false, message: `unknown option ${arg}; see --help` };
    }
  }
  // The environment's URL is checked as the flag's is, and named if wrong.
  const envProblem = postgresUrlProblem(postgresUrl);
  if (envProblem !== undefined) {
    return {
      ok: false,
      message: `ESIMLAB_TEST_POSTGRES_URL: ${envProblem}; or pass --postgres URL`,
    };
  }
  return {
    ok: true,
    settings: {
      durationMs,
      warmupMs: 2000,
      connections,
      postgresUrl,
      replicaCounts: [1, 2, 3],
      ratePerReplica,
      subscribers: 200,
      reportsDir,
    },
  };
}

function postgresUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${JSON.stringify(text)} is not a URL; write e.g. ${DEFAULT_POSTGRES_URL}`;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return `the URL must start with postgres:// (got ${url.protocol}//)`;
  }
  if (url.pathname.length <= 1) {
    return `the URL names no database; write e.g. ${DEFAULT_POSTGRES_URL}`;
  }
  return undefined;
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf('=');
  return [arg.slice(0, at), arg.slice(at + 1)];
}

function missing(flag: string, what: string): ReplicaBenchSettingsParse {
  return { ok: false, message: `${flag} needs ${what}` };
}
