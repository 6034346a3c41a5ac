import type { CarrierId } from '@esimlab/domain';

/** A carrier process a scenario has to itself while it runs. */
export interface CarrierLease {
  readonly carrier: CarrierId;
  readonly baseUrl: string;
  readonly adminToken?: string;
  /**
   * Gives the carrier back. `healthy: false` (a scenario timed out with requests still in
   * flight) tells the pool not to hand this process to another scenario.
   */
  release(options?: { healthy: boolean }): Promise<void>;
}

/**
 * Where scenarios get their carriers: processes the CLI starts on free ports, or carriers
 * someone else runs (`--target`). The runner resets a carrier before each scenario.
 */
export interface CarrierPool {
  /** How many scenarios the pool can serve at once, for the progress display. */
  readonly capacity: number;
  acquire(carrier: CarrierId): Promise<CarrierLease>;
  close(): Promise<void>;
}

/**
 * A pool over carriers that are already running, one scenario at a time per carrier: they
 * share one state, so two scenarios on one carrier would see each other's eSIMs and faults.
 */
export function fixedCarrierPool(
  urls: Partial<Record<CarrierId, string>>,
  options: { adminToken?: string } = {},
): CarrierPool {
  const queues = new Map<CarrierId, Promise<void>>();
  return {
    capacity: Object.keys(urls).length,
    async acquire(carrier) {
      const baseUrl = urls[carrier];
      if (baseUrl === undefined) {
        throw new Error(
          `no ${carrier} carrier among the targets (${Object.keys(urls).join(', ') || 'none'}); add --target ${carrier}=http://host:port`,
        );
      }
      const previous = queues.get(carrier) ?? Promise.resolve();
      let free!: () => void;
      const mine = new Promise<void>((resolve) => {
        free = resolve;
      });
      queues.set(
        carrier,
        previous.then(() => mine),
      );
      await previous;
      return {
        carrier,
        baseUrl,
        ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
        release: async () => free(),
      };
    },
    close: async () => {},
  };
}
