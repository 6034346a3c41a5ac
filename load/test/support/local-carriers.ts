import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningCarriers, startCarriers } from '@esimlab/carrier';
import type { CarrierId } from '@esimlab/domain';

export interface LocalCarriers<C extends CarrierId> {
  readonly urls: Readonly<Record<C, string>>;
  stop(): Promise<void>;
}

/** Real carrier processes on free ports, each with its own SQLite file in a temporary directory. */
export async function startLocalCarriers<C extends CarrierId>(
  carriers: readonly C[],
): Promise<LocalCarriers<C>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'esimlab-load-test-'));
  let running: RunningCarriers<C>;
  try {
    running = await startCarriers<C>({
      carriers,
      ports: Object.fromEntries(carriers.map((c) => [c, 0])),
      store: 'sqlite',
      dataDir,
      logLevel: 'warn',
      onLog: () => undefined,
      startTimeoutMs: 45_000,
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    urls: running.urls,
    async stop() {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
