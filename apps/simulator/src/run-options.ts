import { createCarrierApp } from '@esimlab/carrier';
import { type RetryPolicy, type TopupStrategy, topupStrategies } from '@esimlab/client';
import { type ApiStyle, type CarrierId, carrierIds, carrierProfiles } from '@esimlab/domain';
import type { FaultKind } from '@esimlab/faults';
import type { CarrierAppFactory } from './carrier/simulated-carrier.ts';
import { type TestPaymentMethod, testPaymentMethods } from './model/payment-methods.ts';
import { supportedFaultKinds } from './model/simulation-commands.ts';
import { type AddonKind, addonKinds } from './model/simulation-model.ts';

/**
 * What a run is about, beside its seed and commands: the API style, the client strategy,
 * the fault kinds it may arm, and which carrier (and which build of it) answers.
 */
export interface SimulationRunOptions {
  readonly apiStyle: ApiStyle;
  /** Default: the carrier whose own default this style is (att, tmobile, verizon). */
  readonly carrier?: CarrierId;
  /** The client under test; default the correct strategy for the style. */
  readonly strategy?: TopupStrategy;
  /** Default: every kind the model arms (every HTTP kind, crashes, webhook kinds). */
  readonly faultKinds?: readonly FaultKind[];
  /** Which build of the carrier answers; a mutant carrier plugs in here. Default the real one. */
  readonly carrierBuild?: CarrierBuild;
  /** Default true; false puts the receiver that applies duplicates (a mutant) in the run. */
  readonly receiverDedupe?: boolean;
  /** Overrides of the client's retry policy (default: the client's own defaults). */
  readonly retry?: Partial<RetryPolicy>;
  /** The cards purchases may use; default every test payment method. */
  readonly paymentMethods?: readonly TestPaymentMethod[];
  /** The kinds of add-on purchases buy; default both (passes and boosts). */
  readonly addonKinds?: readonly AddonKind[];
}

/** A build of the carrier, by name (the name goes into replay commands). */
export interface CarrierBuild {
  readonly name: string;
  readonly create: CarrierAppFactory;
}

/** The carrier as it ships. */
export const standardCarrier: CarrierBuild = { name: 'standard', create: createCarrierApp };

/** The options with every default filled in. */
export interface ResolvedRunOptions {
  readonly apiStyle: ApiStyle;
  readonly carrier: CarrierId;
  readonly strategy: TopupStrategy;
  readonly faultKinds: readonly FaultKind[];
  readonly carrierBuild: CarrierBuild;
  readonly receiverDedupe: boolean;
  readonly retry: Partial<RetryPolicy>;
  readonly paymentMethods: readonly TestPaymentMethod[];
  readonly addonKinds: readonly AddonKind[];
}

/** The carrier that uses `apiStyle` by default. */
export function carrierOfStyle(apiStyle: ApiStyle): CarrierId {
  const carrier = carrierIds.find((id) => carrierProfiles[id].defaultApiStyle === apiStyle);
  if (carrier === undefined) throw new Error(`no carrier uses the ${apiStyle} style by default`);
  return carrier;
}

export function resolveRunOptions(options: SimulationRunOptions): ResolvedRunOptions {
  return {
    apiStyle: options.apiStyle,
    carrier: options.carrier ?? carrierOfStyle(options.apiStyle),
    strategy: options.strategy ?? topupStrategies[options.apiStyle],
    faultKinds: options.faultKinds ?? supportedFaultKinds,
    carrierBuild: options.carrierBuild ?? standardCarrier,
    receiverDedupe: options.receiverDedupe ?? true,
    retry: options.retry ?? {},
    paymentMethods: options.paymentMethods ?? testPaymentMethods,
    addonKinds: options.addonKinds ?? addonKinds,
  };
}
