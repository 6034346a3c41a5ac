import type {
  CarrierClient,
  PurchaseTopupOptions,
  TopupStrategy,
  WebhookReceiver,
} from '@esimlab/client';
import type { ApiStyle, CarrierId } from '@esimlab/domain';

/**
 * The system under test as the model's commands see it, the same whether the carrier runs in
 * this process on virtual time or in its own process behind a real socket: a client, a
 * webhook receiver, and the few things a test does to the machine rather than through the API.
 */
export interface CarrierWorld {
  readonly carrier: CarrierId;
  readonly apiStyle: ApiStyle;
  readonly client: CarrierClient;
  readonly receiver: WebhookReceiver;
  /** How the client under test buys: the strategy and everything `purchaseTopup` needs. */
  readonly strategy: TopupStrategy;
  readonly purchaseOptions: Omit<PurchaseTopupOptions, 'strategy'>;
  /** How long a purchase may still be in flight after its answer was lost. */
  readonly settleMs: number;
  /** The carrier's clock (`GET /_sim/clock`; read directly under simulation). */
  carrierNow(): Promise<number>;
  /** Kills the carrier's process now; resolves once its restart serves requests. */
  kill(): Promise<void>;
  /** Resolves once the carrier serves requests (after a crash point fired, say). */
  whenUp(): Promise<void>;
  /** Lets `ms` of the world's time pass, so background work that fell due runs. */
  pause(ms: number): Promise<void>;
  /** What went wrong inside the carrier itself (a failed background task, a failed restart). */
  carrierFailures(): readonly string[];
}
