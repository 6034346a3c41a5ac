import {
  CarrierClient,
  isTopupEvent,
  type PurchaseTopupOptions,
  type RetryPolicy,
  startWebhookReceiver,
  type TopupStrategy,
  type WebhookReceiver,
} from '@esimlab/client';
import { type ApiStyle, type CarrierId, seededRandom } from '@esimlab/domain';
import type { CarrierWorld } from '../model/carrier-world.ts';
import type { RealCarrier } from '../real-socket/real-carrier.ts';
import { SimulationError } from '../simulation-error.ts';

export interface RealSocketWorldOptions {
  readonly carrier: RealCarrier;
  readonly apiStyle: ApiStyle;
  /** Seeds the client's jitter. */
  readonly seed: number;
  readonly strategy: TopupStrategy;
  readonly retry: Partial<RetryPolicy>;
  readonly receiverDedupe?: boolean;
}

const RESTART_TIMEOUT_MS = 30_000;
const POLL_MS = 50;

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * The world of a real-socket run: the same model and commands as in simulation, against a
 * carrier process over node:http, a real webhook receiver, real time, and a real kill.
 */
export class RealSocketWorld implements CarrierWorld {
  readonly carrier: CarrierId;
  readonly apiStyle: ApiStyle;
  readonly client: CarrierClient;
  readonly receiver: WebhookReceiver;
  readonly strategy: TopupStrategy;
  readonly purchaseOptions: Omit<PurchaseTopupOptions, 'strategy'>;
  readonly #real: RealCarrier;
  readonly #retry: Partial<RetryPolicy>;
  readonly #failures: string[] = [];

  private constructor(options: RealSocketWorldOptions, receiver: WebhookReceiver) {
    this.#real = options.carrier;
    this.#retry = options.retry;
    this.carrier = options.carrier.carrier;
    this.apiStyle = options.apiStyle;
    this.strategy = options.strategy;
    this.client = new CarrierClient({ baseUrl: options.carrier.baseUrl });
    this.receiver = receiver;
    const jitter = seededRandom((options.seed ^ 0x5bd1e995) >>> 0);
    this.purchaseOptions = {
      retry: options.retry,
      random: () => jitter.next(),
      waitForEvent: (topupId, timeoutMs) =>
        receiver.waitFor((e) => isTopupEvent(e) && e.data.id === topupId, timeoutMs),
    };
  }

  static async start(options: RealSocketWorldOptions): Promise<RealSocketWorld> {
    const receiver = await startWebhookReceiver(
      options.receiverDedupe === undefined ? {} : { dedupe: options.receiverDedupe },
    );
    return new RealSocketWorld(options, receiver);
  }

  get settleMs(): number {
    return this.#retry.settleMs ?? (this.client.maxProcessingMs ?? 5_000) + 500;
  }

  async carrierNow(): Promise<number> {
    return Date.parse((await this.client.sim.clock()).now);
  }

  async kill(): Promise<void> {
    const pid = this.#real.pid();
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
    // The launcher notices the exit and starts a new process; wait for it to serve.
    const deadline = Date.now() + RESTART_TIMEOUT_MS;
    while (this.#real.pid() === pid && Date.now() < deadline) await sleep(POLL_MS);
    await this.whenUp();
  }

  async whenUp(): Promise<void> {
    const deadline = Date.now() + RESTART_TIMEOUT_MS;
    for (;;) {
      try {
        await this.client.health({ timeoutMs: 1_000 });
        return;
      } catch (error) {
        if (Date.now() >= deadline) {
          throw new SimulationError(
            'carrier_unavailable',
            `the ${this.carrier} carrier did not come back within ${RESTART_TIMEOUT_MS} ms`,
            { cause: error },
          );
        }
      }
      await sleep(POLL_MS);
    }
  }

  pause(ms: number): Promise<void> {
    return sleep(ms);
  }

  carrierFailures(): readonly string[] {
    this.#failures.push(...this.#real.takeErrors());
    return this.#failures;
  }

  async close(): Promise<void> {
    await this.receiver.close();
    this.client.close();
  }
}
