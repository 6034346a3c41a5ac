import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCarriers } from '@esimlab/carrier';

/** One real `att` carrier process, as `esimlab up` runs it: SQLite in a temporary directory. */
export interface CarrierUnderTest {
  readonly url: string;
  /** The carrier process (not its supervisor, which is this process). */
  pid(): number | undefined;
  stop(): Promise<void>;
}

const profileHook = new URL('./cpu-profile-hook.mjs', import.meta.url).href;

/**
 * Starts att through the launcher (`startCarriers`), the way users run it. With `profileDir`,
 * the process writes a CPU profile there when it exits: Node 20 refuses `--cpu-prof` in
 * NODE_OPTIONS, so a preloaded hook takes the same profile through the inspector.
 */
export async function startCarrierUnderTest(
  options: { readonly profileDir?: string } = {},
): Promise<CarrierUnderTest> {
  const dataDir = await mkdtemp(join(tmpdir(), 'esimlab-bench-'));
  const saved = { nodeOptions: process.env.NODE_OPTIONS, dir: process.env.ESIMLAB_CPU_PROFILE_DIR };
  if (options.profileDir !== undefined) {
    // The launcher spawns its processes with this process's environment.
    process.env.NODE_OPTIONS = `${saved.nodeOptions ?? ''} --import ${profileHook}`.trim();
    process.env.ESIMLAB_CPU_PROFILE_DIR = options.profileDir;
  }
  try {
    const running = await startCarriers({
      carriers: ['att'],
      ports: { att: 0 },
      store: 'sqlite',
      dataDir,
      logLevel: 'warn',
      onLog: (_source, line) => process.stderr.write(`[carrier] ${line}\n`),
      startTimeoutMs: 45_000,
    });
    return {
      url: running.urls.att,
      pid: () => running.pids().att,
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
  }
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
