import type { CarrierClient, WebhookReceiver } from '@esimlab/client';
import type { CarrierId, RandomSource } from '@esimlab/domain';
import type { IntentLog } from '../intents/intent-log.ts';
import type { FaultHit, TimelinePoint } from '../reports/run-report.ts';
import type { Scenario } from '../scenarios/scenario-schema.ts';

/** An eSIM a scenario ordered, under the name its step gave it. */
export interface NamedEsim {
  readonly iccid: string;
  readonly activationCode: string;
  readonly confirmationCode?: string;
  /** The client of the tenant that owns it. */
  readonly client: CarrierClient;
}

export interface NamedReceiver {
  readonly receiver: WebhookReceiver;
  readonly endpointId: string;
  /** Whether it is the correct, deduping receiver (not a mutant). */
  readonly dedupes: boolean;
}

/**
 * What a running scenario has made so far, by the names its steps gave (`as:`), and the
 * clients it talks to the carrier with. Steps read and add to it; reports are built from it.
 */
export class ScenarioWorld {
  readonly tenants = new Map<string, { apiKey: string; client: CarrierClient }>();
  readonly esims = new Map<string, NamedEsim>();
  readonly devices = new Map<string, { eid: string }>();
  readonly receivers = new Map<string, NamedReceiver>();
  /** The intent ids of named top-ups. */
  readonly topups = new Map<string, string>();
  readonly timeline: TimelinePoint[] = [];
  readonly startedAtMs = Date.now();
  faultHits: FaultHit[] = [];
  /** Set once a `crash` step armed a crash point: the carrier may be restarting from then on. */
  crashArmed = false;

  constructor(
    readonly scenario: Scenario,
    readonly carrier: CarrierId,
    readonly baseUrl: string,
    readonly seed: number,
    /** The dev tenant's client, which also drives the control plane (`client.sim`). */
    readonly client: CarrierClient,
    readonly random: RandomSource,
    readonly intents: IntentLog,
    /** Makes a client for another tenant's API key. */
    readonly clientFor: (apiKey: string) => CarrierClient,
  ) {}

  /** The client of a tenant named by an earlier step, or the dev tenant's. */
  tenantClient(name: string | undefined): CarrierClient {
    if (name === undefined) return this.client;
    return this.lookup(this.tenants, name, 'tenant').client;
  }

  esim(name: string): NamedEsim {
    return this.lookup(this.esims, name, 'esim');
  }

  device(name: string): { eid: string } {
    return this.lookup(this.devices, name, 'device');
  }

  receiver(name: string): NamedReceiver {
    return this.lookup(this.receivers, name, 'webhooks');
  }

  /** Milliseconds since the scenario started, for timelines and attempt logs. */
  elapsedMs(): number {
    return Date.now() - this.startedAtMs;
  }

  // The loader checks references before a run; this guards scenarios built in code.
  private lookup<T>(map: Map<string, T>, name: string, kind: string): T {
    const found = map.get(name);
    if (found === undefined) {
      throw new StepFailure(
        `"${name}" is not defined by an earlier ${kind} step; defined: ${[...map.keys()].join(', ') || 'none'}`,
      );
    }
    return found;
  }
}

/** A step whose expectation did not hold: the scenario fails with this message. */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
}
