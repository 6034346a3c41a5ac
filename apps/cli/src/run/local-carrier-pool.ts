import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningCarriers, startCarriers } from '@esimlab/carrier';
import type { CarrierId } from '@esimlab/domain';
import type { CarrierLease, CarrierPool } from '@esimlab/harness';

interface PooledCarrier {
  readonly carrier: CarrierId;
  readonly running: RunningCarriers<CarrierId>;
}

export interface LocalCarrierPoolOptions {
  /** Carrier processes alive at once; each serves one scenario at a time. */
  readonly maxProcesses: number;
  /** Where each process keeps its SQLite file; default a fresh temporary directory. */
  readonly dataDir?: string;
  /** Each line a carrier process printed (default: dropped). */
  readonly onLog?: (carrier: CarrierId, line: string) => void;
}

/**
 * Carrier processes started on free ports as scenarios need them, each with its own SQLite
 * file and supervised (a crash point restarts it), and reused across scenarios: the runner
 * resets a carrier before each scenario, which is far cheaper than starting a process.
 */
export async function localCarrierPool(options: LocalCarrierPoolOptions): Promise<CarrierPool> {
  const root = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'esimlab-run-')));
  const idle: PooledCarrier[] = [];
  const alive = new Set<PooledCarrier>();
  let starting = 0;
  let started = 0;
  let waiters: (() => void)[] = [];
  const wake = () => {
    const woken = waiters;
    waiters = [];
    for (const w of woken) w();
  };

  const start = async (carrier: CarrierId): Promise<PooledCarrier> => {
    starting += 1;
    try {
      const running = await startCarriers<CarrierId>({
        carriers: [carrier],
        ports: { [carrier]: 0 },
        store: 'sqlite',
        dataDir: join(root, `${carrier}-${started++}`),
        logLevel: 'warn',
        onLog: (source, line) => {
          if (source !== 'supervisor') options.onLog?.(carrier, line);
        },
        // Crash scenarios restart the carrier on purpose: no reason to wait.
        restartBackoff: { initialMs: 20, maxMs: 500 },
      });
      const pooled = { carrier, running };
      alive.add(pooled);
      return pooled;
    } finally {
      starting -= 1;
    }
  };

  const retire = async (pooled: PooledCarrier) => {
    alive.delete(pooled);
    await pooled.running.stop();
    wake();
  };

  const lease = (pooled: PooledCarrier): CarrierLease => {
    let released = false;
    return {
      carrier: pooled.carrier,
      baseUrl: pooled.running.urls[pooled.carrier],
      async release(release = { healthy: true }) {
        if (released) return;
        released = true;
        if (release.healthy) {
          idle.push(pooled);
          wake();
        } else {
          await retire(pooled);
        }
      },
    };
  };

  return {
    capacity: options.maxProcesses,
    async acquire(carrier) {
      for (;;) {
        const reusable = idle.findIndex((p) => p.carrier === carrier);
        if (reusable >= 0) return lease(idle.splice(reusable, 1)[0] as PooledCarrier);
        if (alive.size + starting < options.maxProcesses) return lease(await start(carrier));
        // Full: make room by stopping an idle carrier of another kind, or wait for a release.
        const other = idle.shift();
        if (other !== undefined) {
          await retire(other);
          continue;
        }
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    async close() {
      idle.length = 0;
      await Promise.all([...alive].map((p) => p.running.stop()));
      alive.clear();
      if (options.dataDir === undefined) await rm(root, { recursive: true, force: true });
    },
  };
}
