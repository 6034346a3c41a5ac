import {
  balanceOf,
  type DataFold,
  foldData,
  inLedgerOrder,
  isLive,
  startDataFold,
} from '@esimlab/domain';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { ProblemError } from '../../http/problem.ts';
import { type EsimRecord, esims } from '../../persistence/collections.ts';
import { deviceCoverage } from '../coverage/current-coverage.ts';
import { findDevice } from '../devices/device-registry.ts';
import { networkUnreachable } from '../devices/network-unreachable.ts';
import { recordEvent } from '../events/journal.ts';
import type { DeviceOperationFaults } from '../faults/device-faults.ts';
import { appendLedger, ledgerOf } from '../ledger/esim-ledger.ts';
import { emitBalanceAlerts } from '../webhooks/balance-alerts.ts';

/** Shares of the live credited data whose crossing is journaled as `usage.threshold`. */
export const USAGE_THRESHOLDS_PERCENT = [75, 90] as const;

export interface DataUse {
  readonly bytes: number;
  /** Which enabled profile carries the traffic; default the most recently activated one. */
  readonly iccid?: string | undefined;
}

export interface DataUseOutcome {
  readonly iccid: string;
  readonly requestedBytes: number;
  readonly consumedBytes: number;
  readonly dataRemainingBytes: number;
  readonly dataUsedBytes: number;
  readonly throttled: boolean;
}

/**
 * Mobile data used by a device: needs a cellular signal (wifi traffic is free), drains the
 * data line's live buckets in the carrier's consumption order, never below zero (at zero the
 * line is throttled), and journals the 75 % / 90 % crossings and depletion once each.
 * `faults` is what the device fault rules rolled for this use (`faultDeviceOperation`).
 */
export async function consumeData(
  tx: StoreTx,
  context: CarrierContext,
  eid: string,
  use: DataUse,
  faults?: DeviceOperationFaults,
): Promise<DataUseOutcome> {
  const device = await findDevice(tx, eid);
  const coverage = await deviceCoverage(tx, context, device, faults);
  if (coverage.signal === 'none') throw networkUnreachable(device, coverage, 'cellular');
  const esim = await dataLine(tx, eid, use.iccid);

  const now = context.clock.now();
  const entries = inLedgerOrder(await ledgerOf(tx, esim.iccid)).filter((e) => e.at <= now);
  const fold = foldData(startDataFold(context.profile.dataRules.consumptionOrder), entries);
  const before = balanceOf(fold, now);
  const consumedBytes = Math.min(use.bytes, before.dataRemainingBytes);
  let afterFold: DataFold = fold;
  if (consumedBytes > 0) {
    const appended = await appendLedger(tx, context, [
      { type: 'data_consumed', at: now, iccid: esim.iccid, bytes: consumedBytes },
    ]);
    afterFold = foldData(fold, appended);
  }
  const after = balanceOf(afterFold, now);

  const journal = (type: string, data: Record<string, unknown>) =>
    recordEvent(tx, context, { type, tenantId: esim.tenantId, iccid: esim.iccid, eid, data });
  if (consumedBytes > 0) {
    await journal('usage.consumed', { requestedBytes: use.bytes, consumedBytes });
  }
  const creditedBytes = liveCreditedBytes(fold, now);
  const usedBefore = creditedBytes - before.dataRemainingBytes;
  const usedAfter = creditedBytes - after.dataRemainingBytes;
  for (const percent of USAGE_THRESHOLDS_PERCENT) {
    // Integer arithmetic: 75 % of an odd byte count must not round either way.
    const threshold = percent * creditedBytes;
    if (usedBefore * 100 < threshold && usedAfter * 100 >= threshold) {
      await journal('usage.threshold', { percent, usedBytes: usedAfter, creditedBytes });
    }
  }
  if (before.dataRemainingBytes > 0 && after.dataRemainingBytes === 0) {
    await journal('usage.depleted', { creditedBytes });
  }
  await emitBalanceAlerts(tx, context, {
    tenantId: esim.tenantId,
    iccid: esim.iccid,
    creditedBytes,
    remainingBeforeBytes: before.dataRemainingBytes,
    remainingAfterBytes: after.dataRemainingBytes,
    dataUsedBytes: after.dataUsedBytes,
  });
  return {
    iccid: esim.iccid,
    requestedBytes: use.bytes,
    consumedBytes,
    dataRemainingBytes: after.dataRemainingBytes,
    dataUsedBytes: after.dataUsedBytes,
    throttled: after.dataRemainingBytes === 0,
  };
}

/** The enabled profile that carries mobile data, or 409 `no_active_profile`. */
async function dataLine(tx: StoreTx, eid: string, iccid: string | undefined): Promise<EsimRecord> {
  const enabled = (await tx.find(esims, { eid })).filter((e) => e.profile.state === 'enabled');
  if (iccid !== undefined) {
    const chosen = enabled.find((e) => e.iccid === iccid);
    if (chosen) return chosen;
    throw new ProblemError(
      409,
      'no_active_profile',
      `eSIM ${iccid} is not enabled on device ${eid}; enable it with POST /_sim/devices/${eid}/profiles/${iccid}/enable, or omit \`iccid\``,
    );
  }
  // Like a phone's "cellular data" line: the newest activation takes over.
  const [line] = enabled.sort(
    (a, b) =>
      (b.profile.firstEnabledAt ?? 0) - (a.profile.firstEnabledAt ?? 0) ||
      b.createdAt - a.createdAt,
  );
  if (!line) {
    throw new ProblemError(
      409,
      'no_active_profile',
      `device ${eid} has no enabled eSIM profile; download one with POST /v1/lpa/download or enable one with POST /_sim/devices/${eid}/profiles/{iccid}/enable`,
    );
  }
  return line;
}

function liveCreditedBytes(fold: DataFold, at: number): number {
  return fold.buckets.filter((b) => isLive(b, at)).reduce((sum, b) => sum + b.creditedBytes, 0);
}
