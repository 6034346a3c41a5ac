import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PostgresStoreChoice, startCarriers } from '@esimlab/carrier';

/**
 * One real `att` carrier, as `esimlab up` runs it: one process on SQLite in a temporary
 * directory, or N replica processes sharing one PostgreSQL schema.
 */
export interface CarrierUnderTest {
  /** Replica 0's base URL. */
  readonly url: string;
  /** Every replica's base URL, by slot (one for SQLite). */
  readonly replicaUrls: readonly string[];
  /** The carrier process, replica 0 (not its supervisor, which is this process). */
  pid(): number | undefined;
  /** Every replica's process, by slot; undefined while one is being restarted. */
  replicaPids(): readonly (number | undefined)[];
  stop(): Promise<void>;
}

export interface CarrierUnderTestOptions {
  /** Writes a CPU profile there when the process exits. */
  readonly profileDir?: string;
  /** Times the process's SQLite statements, written there on SIGUSR2 (`sqlite-time.ts`). */
  readonly sqliteTimeDir?: string;
  /** Default SQLite; PostgreSQL is what lets `replicas` exceed one. */
  readonly store?: 'sqlite' | PostgresStoreChoice;
  readonly replicas?: number;
  /** Each line a carrier process printed, with its replica slot; default: to stderr, prefixed. */
  readonly onLog?: (line: string, replica: number) => void;
}

const profileHook = new URL('./cpu-profile-hook.mjs', import.meta.url).href;
const sqliteTimeHook = new URL('./sqlite-time-hook.mjs', import.meta.url).href;

/**
 * Starts att through the launcher (`startCarriers`), the way users run it. With `profileDir`,
 * the process writes a CPU profile there when it exits: Node 20 refuses `--cpu-prof` in
 * NODE_OPTIONS, so a preloaded hook takes the same profile through the inspector.
 */
export async function startCarrierUnderTest(
  options: CarrierUnderTestOptions = {},
): Promise<CarrierUnderTest> {
  const dataDir = await mkdtemp(join(tmpdir(), 'esimlab-bench-'));
  const saved = {
    nodeOptions: process.env.NODE_OPTIONS,
    dir: process.env.ESIMLAB_CPU_PROFILE_DIR,
    sqliteTimeDir: process.env.ESIMLAB_SQLITE_TIME_DIR,
  };
  // The launcher spawns its processes with this process's environment.
  const hooks: string[] = [];
  if (options.profileDir !== undefined) {
    hooks.push(`--import ${profileHook}`);
    process.env.ESIMLAB_CPU_PROFILE_DIR = options.profileDir;
  }
  if (options.sqliteTimeDir !== undefined) {
    hooks.push(`--import ${sqliteTimeHook}`);
    process.env.ESIMLAB_SQLITE_TIME_DIR = options.sqliteTimeDir;
  }
  if (hooks.length > 0) {
    process.env.NODE_OPTIONS = [saved.nodeOptions ?? '', ...hooks].join(' ').trim();
  }
  try {
    const running = await startCarriers({
      carriers: ['att'],
      ports: { att: 0 },
      store: options.store ?? 'sqlite',
      replicas: options.replicas ?? 1,
      dataDir,
      logLevel: 'warn',
      onLog: (_source, line, replica) =>
        options.onLog === undefined
          ? process.stderr.write(`[carrier${replica > 0 ? `/${replica}` : ''}] ${line}\n`)
          : options.onLog(line, replica),
      startTimeoutMs: 45_000,
    });
    return {
      url: running.urls.att,
      replicaUrls: running.replicaUrls.att,
      pid: () => running.pids().att,
      replicaPids: () => running.replicaPids().att,
      async stop() {
        await running.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    restore('NODE_OPTIONS', saved.nodeOptions);
    restore('ESIMLAB_CPU_PROFILE_DIR', saved.dir);
    restore('ESIMLAB_SQLITE_TIME_DIR', saved.sqliteTimeDir);
  }
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
