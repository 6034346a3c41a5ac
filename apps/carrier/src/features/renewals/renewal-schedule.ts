import { type EpochMillis, type LedgerEntry, parseTimeZone, unwrap } from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import { type EsimRecord, type RenewalRecord, renewals } from '../../persistence/collections.ts';
import type { DueWindow } from '../clock/due-work.ts';
import { ledgerOf } from '../ledger/esim-ledger.ts';
import { nextRetryAt } from './grace-period.ts';
import type { DueRenewal } from './renewal-attempt.ts';

/**
 * The renewal that fell due in the window for an auto-renewing eSIM in service: the first
 * attempt when its base plan's period ended in the window, or, in `grace`, the next daily
 * retry once its time has come. Undefined while an attempt is still in the saga.
 */
export async function dueRenewalIn(
  tx: StoreTx,
  esim: EsimRecord,
  window: DueWindow,
): Promise<DueRenewal | undefined> {
  if (!esim.autoRenew || esim.profile.firstEnabledAt === undefined) return undefined;
  const history = await tx.find(renewals, { iccid: esim.iccid });
  if (history.some((r) => r.status === 'pending')) return undefined;

  if (esim.status === 'active') {
    const lapse = lastBaseExpiry(await ledgerOf(tx, esim.iccid));
    if (lapse === null || lapse <= window.from || lapse > window.to) return undefined;
    if (history.some((r) => r.periodStart === lapse)) return undefined;
    return {
      iccid: esim.iccid,
      expectedStatus: 'active',
      periodStart: lapse,
      attempt: 1,
      onTime: true,
    };
  }
  if (esim.status === 'grace') {
    const last = latestOf(history);
    if (!last) return undefined;
    const retryAt = nextRetryAt(last.periodStart, last.createdAt, zoneOf(esim));
    if (retryAt === null || retryAt > window.to) return undefined;
    return retryOf(esim, last);
  }
  return undefined;
}

/**
 * The renewal a new payment method triggers at once: in `grace`, the next retry of the lapsed
 * period; when `suspended`, a fresh period starting now, as if the plan were bought again.
 */
export async function renewalAfterPaymentChange(
  tx: StoreTx,
  esim: EsimRecord,
  now: EpochMillis,
): Promise<DueRenewal | undefined> {
  if (!esim.autoRenew) return undefined;
  const history = await tx.find(renewals, { iccid: esim.iccid });
  if (history.some((r) => r.status === 'pending')) return undefined;
  if (esim.status === 'grace') {
    const last = latestOf(history);
    return last ? retryOf(esim, last) : undefined;
  }
  if (esim.status === 'suspended') {
    return {
      iccid: esim.iccid,
      expectedStatus: 'suspended',
      periodStart: now,
      attempt: 1,
      onTime: false,
    };
  }
  return undefined;
}

const retryOf = (esim: EsimRecord, last: RenewalRecord): DueRenewal => ({
  iccid: esim.iccid,
  expectedStatus: 'grace',
  periodStart: last.periodStart,
  attempt: last.attempt + 1,
  onTime: false,
});

/** The latest attempt: of the latest period, the highest attempt (timestamps may tie). */
function latestOf(history: readonly RenewalRecord[]): RenewalRecord | undefined {
  return [...history].sort((a, b) => a.periodStart - b.periodStart || a.attempt - b.attempt).at(-1);
}

/** When the base plan runs (or ran) out: the latest expiry of a base bucket not closed early. */
function lastBaseExpiry(entries: readonly LedgerEntry[]): EpochMillis | null {
  const closedAt = new Map<string, EpochMillis>();
  for (const e of entries) {
    if (e.type === 'data_expired') {
      closedAt.set(e.bucketId, Math.min(e.at, closedAt.get(e.bucketId) ?? e.at));
    }
  }
  let latest: EpochMillis | null = null;
  for (const e of entries) {
    if (e.type !== 'data_credited' || e.bucket !== 'base') continue;
    // A marker at or after the expiry only confirms it; one before it closed the bucket early.
    if ((closedAt.get(e.bucketId) ?? Number.POSITIVE_INFINITY) < e.expiresAt) continue;
    if (latest === null || e.expiresAt > latest) latest = e.expiresAt;
  }
  return latest;
}

const zoneOf = (esim: EsimRecord) =>
  unwrap(parseTimeZone(esim.subscriber.timeZone, 'subscriber.timeZone'));
