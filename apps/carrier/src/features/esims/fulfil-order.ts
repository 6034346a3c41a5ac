import {
  activePromotions,
  expiresAt,
  findPlan,
  parseTimeZone,
  promotionBonusBytes,
  toIso,
  unwrap,
} from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import type { EsimRecord } from '../../persistence/collections.ts';
import { recordEvent } from '../events/journal.ts';
import { captureCharge } from '../gateway/charge-settlement.ts';
import { appendLedger, isCredited, type NewLedgerEntry } from '../ledger/esim-ledger.ts';
import { emitWebhookEvent } from '../webhooks/emit-webhook-event.ts';

/**
 * Starts the service of an ordered eSIM when its profile is first enabled, inside the
 * caller's transaction: credits the base plan's data (valid from `enabledAt`'s local day in
 * the subscriber's zone), any promotion bonus, then captures the order's charge.
 * Idempotent: an eSIM whose order was already credited is returned unchanged.
 */
export async function fulfilOrder(
  tx: StoreTx,
  context: CarrierContext,
  esim: EsimRecord,
  enabledAt: number,
): Promise<EsimRecord> {
  if (await isCredited(tx, esim.iccid, { kind: 'order', ref: esim.iccid })) return esim;

  // The order validated both when it was placed, so a failure here is a bug.
  const plan = unwrap(findPlan(context.profile.id, esim.planId, 'base'));
  const zone = unwrap(parseTimeZone(esim.subscriber.timeZone, 'subscriber.timeZone'));
  const until = expiresAt(enabledAt, plan.validityDays, zone);
  const promotions = activePromotions(context.profile, plan, enabledAt);

  const credits: NewLedgerEntry[] = [
    {
      type: 'data_credited',
      at: enabledAt,
      iccid: esim.iccid,
      bucketId: context.ids.next('bkt'),
      bucket: 'base',
      bytes: plan.dataBytes,
      expiresAt: until,
      source: { kind: 'order', ref: esim.iccid },
    },
    ...promotions
      .map((promotion) => ({ promotion, bytes: promotionBonusBytes(promotion, plan) }))
      .filter(({ bytes }) => bytes > 0)
      .map(
        ({ promotion, bytes }): NewLedgerEntry => ({
          type: 'data_credited',
          at: enabledAt,
          iccid: esim.iccid,
          bucketId: context.ids.next('bkt'),
          bucket: 'promo',
          bytes,
          expiresAt: until,
          source: { kind: 'promotion', ref: `${promotion.id}:${esim.iccid}` },
        }),
      ),
  ];
  await appendLedger(tx, context, credits);
  await captureCharge(tx, context, esim.chargeId);
  const eid = esim.eid ?? esim.profile.eid;
  await recordEvent(tx, context, {
    type: 'esim.activated',
    tenantId: esim.tenantId,
    iccid: esim.iccid,
    ...(eid === undefined ? {} : { eid }),
    data: {
      planId: plan.id,
      chargeId: esim.chargeId,
      dataBytes: plan.dataBytes,
      bonusBytes: credits.slice(1).reduce((sum, e) => sum + ('bytes' in e ? e.bytes : 0), 0),
      promotions: promotions.map((p) => p.id),
      enabledAt: toIso(enabledAt),
      expiresAt: toIso(until),
    },
  });
  await emitWebhookEvent(tx, context, {
    tenantId: esim.tenantId,
    type: 'esim.activated',
    data: {
      iccid: esim.iccid,
      planId: plan.id,
      activatedAt: toIso(enabledAt),
      expiresAt: toIso(until),
    },
  });
  return esim;
}
