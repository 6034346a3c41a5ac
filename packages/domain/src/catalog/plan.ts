import type { Money } from '../money/money.ts';
import type { CarrierId } from './carrier.ts';

/** A plan's catalog id, e.g. `att-unlimited-starter` or `tmobile-pass-1d`. */
export type PlanId = string & { readonly __brand: 'PlanId' };

/**
 * Add-ons come in two kinds, as sold by US carriers:
 * - a `pass` is a time-boxed allowance (a day pass, a travel pass); the carrier may allow
 *   only one active pass of a kind at a time;
 * - a `boost` is extra high-speed data on top of the base plan, consumed after base data.
 */
export type AddonKind = 'pass' | 'boost';

interface PlanCommon {
  readonly id: PlanId;
  readonly carrier: CarrierId;
  readonly name: string;
  readonly dataBytes: number;
  readonly validityDays: number;
  readonly price: Money;
}

export interface BasePlan extends PlanCommon {
  readonly kind: 'base';
  readonly autoRenewable: boolean;
  /** Days before cancellation is free of the early-termination fee; 0 for no minimum term. */
  readonly minTermDays: number;
  readonly earlyTerminationFee: Money | null;
  /** Whether the activation code demands a confirmation code (`$1` suffix). */
  readonly confirmationCodeRequired: boolean;
}

export interface AddonPlan extends PlanCommon {
  readonly kind: 'addon';
  readonly addonKind: AddonKind;
  readonly autoRenewable: false;
  readonly minTermDays: 0;
  readonly earlyTerminationFee: null;
}

export type Plan = BasePlan | AddonPlan;
