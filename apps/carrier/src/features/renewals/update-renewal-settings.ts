import { type Balance, findPlan, unwrap } from '@esimlab/domain';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { ProblemError } from '../../http/problem.ts';
import { type EsimRecord, esims } from '../../persistence/collections.ts';
import { findTenantEsim } from '../esims/esim-lookup.ts';
import { recordEvent } from '../events/journal.ts';
import type { TestPaymentMethod } from '../gateway/payment-methods.ts';
import { balanceNow } from '../ledger/esim-ledger.ts';
import { attemptRenewal } from './renewal-attempt.ts';
import { renewalAfterPaymentChange } from './renewal-schedule.ts';

export interface RenewalSettingsChange {
  readonly tenantId: string;
  readonly iccid: string;
  readonly autoRenew?: boolean | undefined;
  readonly paymentMethod?: TestPaymentMethod | undefined;
}

/**
 * `PATCH /v1/esims/{iccid}`: turns auto-renewal on or off and replaces the payment method. A
 * new payment method on an eSIM in `grace` or `suspended` retries the renewal at once (a
 * decline leaves the status as it was); turning auto-renewal off there lets the plan expire.
 * A cancelled eSIM is 409 `esim_cancelled`; auto-renewal on a plan that never renews, 422.
 */
export async function updateRenewalSettings(
  context: CarrierContext,
  change: RenewalSettingsChange,
): Promise<{ readonly esim: EsimRecord; readonly balance: Balance }> {
  const retry = await context.store.transaction(async (tx) => {
    const esim = await findTenantEsim(tx, change.tenantId, change.iccid);
    if (esim.status === 'cancelled') {
      throw new ProblemError(
        409,
        'esim_cancelled',
        `eSIM ${esim.iccid} is cancelled and can no longer be changed; order a new one with POST /v1/esims`,
      );
    }
    const plan = unwrap(findPlan(context.profile.id, esim.planId, 'base'));
    if (change.autoRenew === true && !plan.autoRenewable) {
      throw new ProblemError(
        422,
        'auto_renew_unavailable',
        `plan \`${plan.id}\` does not renew automatically; send autoRenew only for plans whose autoRenewable is true (GET /v1/plans)`,
        {
          extensions: { errors: [{ field: 'body.autoRenew', message: 'the plan does not renew' }] },
        },
      );
    }
    const updated = applyChange(esim, change);
    if (updated !== esim) {
      await tx.update(esims, updated);
      await recordEvent(tx, context, {
        type: 'esim.updated',
        tenantId: esim.tenantId,
        iccid: esim.iccid,
        ...(esim.eid === undefined ? {} : { eid: esim.eid }),
        data: {
          autoRenew: updated.autoRenew,
          paymentMethodChanged: updated.paymentMethod !== esim.paymentMethod,
          status: { from: esim.status, to: updated.status },
        },
      });
    }
    return change.paymentMethod === undefined
      ? undefined
      : renewalAfterPaymentChange(tx, updated, context.clock.now());
  });
  if (retry) await attemptRenewal(context, retry);
  return context.store.transaction(async (tx) => {
    const esim = await findTenantEsim(tx, change.tenantId, change.iccid);
    return { esim, balance: await balanceNow(tx, context, esim.iccid) };
  });
}

/** The eSIM after the change; the same object when nothing changes. */
function applyChange(esim: EsimRecord, change: RenewalSettingsChange): EsimRecord {
  const autoRenew = change.autoRenew ?? esim.autoRenew;
  const paymentMethod = change.paymentMethod ?? esim.paymentMethod;
  // Without auto-renewal nothing will pay for the lapsed period: the plan has simply expired.
  const givesUp = !autoRenew && (esim.status === 'grace' || esim.status === 'suspended');
  if (autoRenew === esim.autoRenew && paymentMethod === esim.paymentMethod && !givesUp) return esim;
  const { graceUntil: _dropped, ...rest } = esim;
  return givesUp
    ? { ...rest, autoRenew, paymentMethod, status: 'expired' }
    : { ...esim, autoRenew, paymentMethod };
}
