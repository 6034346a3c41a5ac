import { expiresAt, findPlan, type Money, parseTimeZone, unwrap } from '@esimlab/domain';
import type { CarrierContext } from '../../app/carrier-context.ts';
import type { EsimRecord } from '../../persistence/collections.ts';

/**
 * The early-termination fee for cancelling at `at`, or null when none is due: the plan has no
 * minimum term, the service never started, or its term is over. The term runs like validity:
 * from the day the profile was first enabled, ending at the local midnight that ends day
 * `minTermDays` in the subscriber's zone.
 */
export function earlyTerminationFeeAt(
  context: CarrierContext,
  esim: EsimRecord,
  at: number,
): Money | null {
  const plan = unwrap(findPlan(context.profile.id, esim.planId, 'base'));
  const startedAt = esim.profile.firstEnabledAt;
  if (plan.earlyTerminationFee === null || plan.minTermDays === 0 || startedAt === undefined) {
    return null;
  }
  const zone = unwrap(parseTimeZone(esim.subscriber.timeZone, 'subscriber.timeZone'));
  return at < expiresAt(startedAt, plan.minTermDays, zone) ? plan.earlyTerminationFee : null;
}
