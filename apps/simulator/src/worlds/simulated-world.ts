import {
  CarrierClient,
  isTopupEvent,
  type PurchaseTopupOptions,
  type RetryPolicy,
  type TopupStrategy,
} from '@esimlab/client';
import { type ApiStyle, type CarrierId, seededRandom } from '@esimlab/domain';
import { type CarrierAppFactory, SimulatedCarrier } from '../carrier/simulated-carrier.ts';
import type { CarrierWorld } from '../model/carrier-world.ts';
import { SimulatedTransport } from '../transport/simulated-transport.ts';
import type { VirtualClock } from '../virtual-time/virtual-clock.ts';
import { SimulatedWebhookReceiver } from '../webhooks/simulated-webhook-receiver.ts';

export interface SimulatedWorldOptions {
  readonly clock: VirtualClock;
  readonly carrier: CarrierId;
  readonly apiStyle: ApiStyle;
  /** Seeds the carrier, its fault rolls and the client's jitter. */
  readonly seed: number;
  readonly strategy: TopupStrategy;
  readonly retry?: Partial<RetryPolicy>;
  readonly createCarrierApp?: CarrierAppFactory;
  /** Default true; false gives the receiver that applies duplicates (a mutant). */
  readonly receiverDedupe?: boolean;
}

/** Without a word from the carrier, how long a top-up may take to commit (the client's fallback). */
const FALLBACK_MAX_PROCESSING_MS = 5_000;
const SETTLE_MARGIN_MS = 500;

let receivers = 0;

/**
 * The world of a simulated run: a carrier in this process on virtual time, a client that
 * reaches it through the simulated network, and a receiver for its webhooks.
 */
export class SimulatedWorld implements CarrierWorld {
  readonly carrier: CarrierId;
  readonly apiStyle: ApiStyle;
  readonly client: CarrierClient;
  readonly receiver: SimulatedWebhookReceiver;
  readonly strategy: TopupStrategy;
  readonly purchaseOptions: Omit<PurchaseTopupOptions, 'strategy'>;
  readonly simulatedCarrier: SimulatedCarrier;
  readonly transport: SimulatedTransport;
  readonly #clock: VirtualClock;
  readonly #retry: Partial<RetryPolicy>;
  #offsetMs = 0;

  private constructor(options: SimulatedWorldOptions, simulatedCarrier: SimulatedCarrier) {
    const { clock } = options;
    this.#clock = clock;
    this.#retry = options.retry ?? {};
    this.carrier = options.carrier;
    this.apiStyle = options.apiStyle;
    this.strategy = options.strategy;
    this.simulatedCarrier = simulatedCarrier;
    this.transport = new SimulatedTransport({ carrier: simulatedCarrier, clock });
    this.client = new CarrierClient({
      baseUrl: `http://${options.carrier}.simulated.invalid`,
      transport: this.transport,
    });
    this.receiver = new SimulatedWebhookReceiver({
      clock,
      name: `run-${++receivers}`,
      ...(options.receiverDedupe === undefined ? {} : { dedupe: options.receiverDedupe }),
    });
    const jitter = seededRandom((options.seed ^ 0x5bd1e995) >>> 0);
    const receiver = this.receiver;
    this.purchaseOptions = {
      retry: this.#retry,
      random: () => jitter.next(),
      sleep: (ms) => clock.sleep(ms),
      now: () => clock.now(),
      waitForEvent: (topupId, timeoutMs) =>
        receiver.waitFor((e) => isTopupEvent(e) && e.data.id === topupId, timeoutMs),
    };
  }

  static async start(options: SimulatedWorldOptions): Promise<SimulatedWorld> {
    const carrier = await SimulatedCarrier.start({
      carrier: options.carrier,
      clock: options.clock,
      seed: options.seed,
      faultSeed: (options.seed ^ 0x27d4eb2f) >>> 0,
      ...(options.createCarrierApp === undefined ? {} : { createApp: options.createCarrierApp }),
    });
    return new SimulatedWorld(options, carrier);
  }

  get settleMs(): number {
    return (
      this.#retry.settleMs ??
      (this.client.maxProcessingMs ?? FALLBACK_MAX_PROCESSING_MS) + SETTLE_MARGIN_MS
    );
  }

  async carrierNow(): Promise<number> {
    const current = this.simulatedCarrier.current;
    // While the carrier is down, its clock is where it was: the offset is on its disk.
    if (current) this.#offsetMs = current.context.clock.offsetMs;
    return this.#clock.now() + this.#offsetMs;
  }

  kill(): Promise<void> {
    return this.simulatedCarrier.kill();
  }

  whenUp(): Promise<void> {
    return this.simulatedCarrier.whenUp();
  }

  pause(ms: number): Promise<void> {
    return this.#clock.sleep(ms);
  }

  carrierFailures(): readonly string[] {
    return this.simulatedCarrier.failures;
  }

  async close(): Promise<void> {
    await this.receiver.close();
    await this.simulatedCarrier.close();
    this.client.close();
  }
}
