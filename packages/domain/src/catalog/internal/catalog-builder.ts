import type { Money } from '../../money/money.ts';
import type { CarrierId } from '../carrier.ts';
import type { AddonKind, AddonPlan, BasePlan, PlanId } from '../plan.ts';
import type { Promotion, PromotionId, PromotionTarget } from '../promotion.ts';

interface BasePlanSpec {
  readonly id: string;
  readonly name: string;
  readonly dataBytes: number;
  readonly validityDays: number;
  readonly price: Money;
  readonly autoRenewable: boolean;
  readonly minTermDays: number;
  readonly earlyTerminationFee: Money | null;
  readonly confirmationCodeRequired: boolean;
}

interface AddonPlanSpec {
  readonly id: string;
  readonly name: string;
  readonly dataBytes: number;
  readonly validityDays: number;
  readonly price: Money;
}

interface PromotionSpec extends Omit<Promotion, 'id' | 'appliesTo'> {
  readonly id: string;
  readonly appliesTo: {
    readonly planKinds?: PromotionTarget['planKinds'];
    readonly planIds?: readonly string[];
  };
}

/**
 * Lets a carrier file list its catalog as plain literals: fills in the carrier and the fixed
 * add-on fields, and brands the ids. Nothing is checked here; `validateCarrierProfile` does.
 */
export function catalogBuilder(carrier: CarrierId) {
  const addon =
    (addonKind: AddonKind) =>
    (spec: AddonPlanSpec): AddonPlan => ({
      id: spec.id as PlanId,
      carrier,
      name: spec.name,
      kind: 'addon',
      addonKind,
      dataBytes: spec.dataBytes,
      validityDays: spec.validityDays,
      price: spec.price,
      autoRenewable: false,
      minTermDays: 0,
      earlyTerminationFee: null,
    });
  return {
    base: (spec: BasePlanSpec): BasePlan => ({
      id: spec.id as PlanId,
      carrier,
      name: spec.name,
      kind: 'base',
      dataBytes: spec.dataBytes,
      validityDays: spec.validityDays,
      price: spec.price,
      autoRenewable: spec.autoRenewable,
      minTermDays: spec.minTermDays,
      earlyTerminationFee: spec.earlyTerminationFee,
      confirmationCodeRequired: spec.confirmationCodeRequired,
    }),
    pass: addon('pass'),
    boost: addon('boost'),
    promotion: (spec: PromotionSpec): Promotion => {
      const { planKinds, planIds } = spec.appliesTo;
      return {
        ...spec,
        id: spec.id as PromotionId,
        appliesTo: {
          ...(planKinds === undefined ? {} : { planKinds }),
          ...(planIds === undefined ? {} : { planIds: planIds.map((id) => id as PlanId) }),
        },
      };
    },
  };
}
