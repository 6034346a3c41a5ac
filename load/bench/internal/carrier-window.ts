import type { RechargeMeasurement } from '../workloads/recharge-load.ts';
import {
  type MainThreadShares,
  type MainThreadTime,
  mainThreadShares,
  readMainThreadTime,
} from './main-thread-time.ts';
import { processCpuSeconds } from './process-cpu.ts';

/** A recharge run with what the carrier spent on it, over the run's measured window. */
export interface RechargeRun extends RechargeMeasurement {
  /** The carrier process's CPU (user + system, every thread) per top-up. */
  readonly carrierCpuMsPerTopup: number | undefined;
  readonly carrierMainThread: MainThreadShares | undefined;
}

/** A run's recharge figures, told apart from an echo's by the carrier's. */
export function isRechargeRun(measurement: object): measurement is RechargeRun {
  return 'carrierCpuMsPerTopup' in measurement;
}

interface CarrierReading {
  readonly pid: number | undefined;
  readonly cpuSeconds: number | undefined;
  readonly mainThread: MainThreadTime | undefined;
}

async function readCarrier(pid: number | undefined): Promise<CarrierReading> {
  const mainThread = readMainThreadTime(pid);
  return { pid, cpuSeconds: await processCpuSeconds(pid), mainThread };
}

/**
 * Reads the carrier around a recharge run's measured window (`onWindowStart`/`onWindowEnd` of
 * `runRechargeBench`: from the first iteration to the last, seeding and audit left out), and
 * adds what it spent to the run.
 */
export function watchCarrierWindow(pid: () => number | undefined): {
  readonly onWindowStart: () => Promise<void>;
  readonly onWindowEnd: () => Promise<void>;
  readonly measured: (run: RechargeMeasurement) => RechargeRun;
} {
  let start: CarrierReading | undefined;
  let end: CarrierReading | undefined;
  return {
    onWindowStart: async () => {
      start = await readCarrier(pid());
    },
    onWindowEnd: async () => {
      end = await readCarrier(pid());
    },
    measured: (run) => {
      // A carrier restarted by its supervisor during the run is another process: no figures.
      const sameProcess = start?.pid !== undefined && start.pid === end?.pid;
      return {
        ...run,
        carrierCpuMsPerTopup:
          !sameProcess ||
          start?.cpuSeconds === undefined ||
          end?.cpuSeconds === undefined ||
          run.outcomes.ok === 0
            ? undefined
            : ((end.cpuSeconds - start.cpuSeconds) * 1000) / run.outcomes.ok,
        carrierMainThread: mainThreadShares(start?.mainThread, end?.mainThread),
      };
    },
  };
}
