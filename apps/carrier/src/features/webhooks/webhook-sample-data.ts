import { findPlan, plansOf, toIso } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import type { EsimRecord } from '../../persistence/collections.ts';
import { balanceNow } from '../ledger/esim-ledger.ts';
import { BALANCE_LOW_PERCENT_USED } from './balance-alerts.ts';
import { PLAN_EXPIRING_NOTICE_MS } from './plan-expiring-notice.ts';
import type { WebhookEventType } from './webhook-event-types.ts';

/**
 * The `data` of a test event (`POST /_sim/webhooks/trigger`): shaped like the real one, from
 * the eSIM's real plan and balance, with made-up ids where the event needs a top-up or charge.
 */
export async function sampleWebhookEventData(
  tx: StoreTx,
  context: CarrierContext,
  esim: EsimRecord,
  type: WebhookEventType,
): Promise<Record<string, unknown>> {
  const now = context.clock.now();
  const balance = await balanceNow(tx, context, esim.iccid);
  const base = findPlan(context.profile.id, esim.planId, 'base');
  const planPrice = base.ok ? base.value.price : { amount: 0, currency: 'USD' };
  const creditedBytes = balance.dataRemainingBytes + balance.dataUsedBytes;
  const expiresAt = balance.expiresAt === null ? null : toIso(balance.expiresAt);
  const iccid = esim.iccid;
  const addon = plansOf(context.profile.id).find((plan) => plan.kind === 'addon');
  const topup = {
    id: context.ids.next('tu'),
    iccid,
    planId: addon?.id ?? esim.planId,
    amount: addon?.price ?? planPrice,
    dataBytes: addon?.dataBytes ?? 0,
    bonusBytes: 0,
    clientReference: null,
    createdAt: toIso(now),
  };
  switch (type) {
    case 'topup.succeeded':
      return {
        ...topup,
        status: 'succeeded',
        chargeId: context.ids.next('ch'),
        completedAt: toIso(now),
      };
    case 'topup.failed':
      return {
        ...topup,
        status: 'failed',
        chargeId: null,
        failureCode: 'card_declined',
        completedAt: toIso(now),
      };
    case 'esim.activated':
      return {
        iccid,
        planId: esim.planId,
        activatedAt: toIso(esim.profile.firstEnabledAt ?? now),
        expiresAt,
      };
    case 'balance.low':
      return {
        iccid,
        dataRemainingBytes: balance.dataRemainingBytes,
        dataUsedBytes: balance.dataUsedBytes,
        creditedBytes,
        thresholdPercent: BALANCE_LOW_PERCENT_USED,
      };
    case 'balance.depleted':
      return { iccid, dataRemainingBytes: 0, dataUsedBytes: balance.dataUsedBytes, creditedBytes };
    case 'plan.expiring':
      return {
        iccid,
        planId: esim.planId,
        expiresAt: expiresAt ?? toIso(now + PLAN_EXPIRING_NOTICE_MS),
        noticeAt: toIso(now),
        dataRemainingBytes: balance.dataRemainingBytes,
        autoRenew: esim.autoRenew,
      };
    case 'plan.renewed':
      return {
        iccid,
        planId: esim.planId,
        chargeId: context.ids.next('ch'),
        amount: planPrice,
        renewedAt: toIso(now),
        expiresAt,
      };
    case 'plan.renewal_failed':
      return {
        iccid,
        planId: esim.planId,
        amount: planPrice,
        failureCode: 'card_declined',
        failedAt: toIso(now),
      };
    case 'esim.suspended':
      return {
        iccid,
        status: 'suspended',
        reason: 'renewal_failed',
        suspendedAt: toIso(now),
      };
  }
}
