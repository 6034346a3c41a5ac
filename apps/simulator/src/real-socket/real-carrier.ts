import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningCarriers, startCarriers } from '@esimlab/carrier';
import type { CarrierId } from '@esimlab/domain';

/** A real carrier process under the launcher, for real-socket runs. */
export interface RealCarrier {
  readonly carrier: CarrierId;
  readonly baseUrl: string;
  /** Its current process id; undefined while the launcher restarts it. */
  pid(): number | undefined;
  /** Error lines it logged since the last `takeErrors`: bugs, reported in the verdict. */
  takeErrors(): string[];
  stop(): Promise<void>;
}

/**
 * Starts one carrier in its own process, as `esimlab-carriers` would, on a free port. Its
 * store is SQLite in a temporary directory: a killed or crashed process must find its data
 * again when the launcher restarts it, which the memory store cannot offer across processes.
 */
export async function startRealCarrier(carrier: CarrierId): Promise<RealCarrier> {
  const dataDir = await mkdtemp(join(tmpdir(), `esimlab-sim-${carrier}-`));
  const errors: string[] = [];
  let running: RunningCarriers<CarrierId>;
  try {
    running = await startCarriers({
      carriers: [carrier],
      ports: { [carrier]: 0 },
      store: 'sqlite',
      dataDir,
      logLevel: 'error',
      // Restart at once: the launcher's usual backoff only slows the runs down.
      restartBackoff: { initialMs: 10, maxMs: 200 },
      onLog: (source, line) => {
        if (source === carrier && isErrorLine(line)) errors.push(line);
      },
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    carrier,
    baseUrl: running.urls[carrier],
    pid: () => running.pids()[carrier],
    takeErrors: () => errors.splice(0, errors.length),
    async stop() {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A pino line at error level or above (the carrier logs nothing else at level `error`). */
function isErrorLine(line: string): boolean {
  try {
    const parsed = JSON.parse(line) as { level?: unknown };
    return typeof parsed.level === 'number' && parsed.level >= 50;
  } catch {
    return false;
  }
}
