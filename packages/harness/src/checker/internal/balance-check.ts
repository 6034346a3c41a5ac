import {
  type CarrierId,
  carrierProfiles,
  deriveBalance,
  type LedgerEntry,
  toIso,
} from '@esimlab/domain';
import type { BalanceMismatch, SkippedCheck, UsageView } from '../check-report.ts';
import { clockAnswer, ledgerAnswer, usageAnswer } from './carrier-answers.ts';
import type { CarrierHttp } from './carrier-http.ts';

/** A ledger still being written (a background completion, a renewal) is read again this often. */
const MAX_READS = 3;

export interface BalanceCheck {
  readonly mismatches: BalanceMismatch[];
  readonly skipped: SkippedCheck[];
}

/**
 * Compares, for each eSIM, the balance the carrier shows its subscriber (`GET
 * /v1/esims/{iccid}/usage`, with whichever key's tenant owns the eSIM) with the one
 * `deriveBalance` gives from its ledger under the carrier's consumption order. The usage is
 * taken at some instant between two clock reads, so it must match the derived balance at one
 * of them; the ledger is read before and after, and read again if it changed meanwhile.
 */
export async function checkBalances(
  http: CarrierHttp,
  iccids: readonly string[],
  apiKeys: readonly string[],
): Promise<BalanceCheck> {
  const mismatches: BalanceMismatch[] = [];
  const skipped: SkippedCheck[] = [];
  const keys = [...apiKeys];
  for (const iccid of iccids) {
    const outcome = await checkBalance(http, iccid, keys);
    if (outcome.kind === 'mismatch') mismatches.push(outcome.mismatch);
    if (outcome.kind === 'skipped') {
      skipped.push({
        carrier: http.carrier,
        check: 'balance',
        subject: iccid,
        reason: outcome.reason,
      });
    }
  }
  return { mismatches, skipped };
}

type Outcome =
  | { readonly kind: 'agrees' }
  | { readonly kind: 'mismatch'; readonly mismatch: BalanceMismatch }
  | { readonly kind: 'skipped'; readonly reason: string };

async function checkBalance(http: CarrierHttp, iccid: string, keys: string[]): Promise<Outcome> {
  const ledgerPath = `/_sim/ledger?iccid=${encodeURIComponent(iccid)}`;
  for (let read = 0; read < MAX_READS; read++) {
    const before = await http.control('GET', ledgerPath, ledgerAnswer);
    const from = await http.control('GET', '/_sim/clock', clockAnswer);
    const view = await usageSeenByAnyKey(http, iccid, keys);
    if (view === undefined) {
      return {
        kind: 'skipped',
        reason: `no API key given for ${http.carrier} sees this eSIM (404); pass its tenant's key in carriers[].apiKeys`,
      };
    }
    const to = await http.control('GET', '/_sim/clock', clockAnswer);
    const after = await http.control('GET', ledgerPath, ledgerAnswer);
    if (!sameEntries(before, after)) continue;

    const candidates = [from, to].map((at) => ({
      at,
      usage: derivedUsage(http.carrier, after, at),
    }));
    if (candidates.some((c) => sameUsage(c.usage, view))) return { kind: 'agrees' };
    const { at, usage } = candidates[0] as (typeof candidates)[number];
    return {
      kind: 'mismatch',
      mismatch: {
        kind: 'balance_mismatch',
        carrier: http.carrier,
        iccid,
        intentIds: [],
        message: `eSIM ${iccid} on ${http.carrier} shows ${describe(view)}, but its ledger gives ${describe(usage)} at ${toIso(at)}`,
        evidence: {
          carrierView: view,
          derived: usage,
          at: toIso(at),
          ledgerEntryCount: after.length,
        },
      },
    };
  }
  return {
    kind: 'skipped',
    reason: `its ledger kept changing while it was read (${MAX_READS} tries); check once the run is quiet`,
  };
}

/** The usage through the first key whose tenant owns the eSIM; that key is tried first next time. */
async function usageSeenByAnyKey(
  http: CarrierHttp,
  iccid: string,
  keys: string[],
): Promise<UsageView | undefined> {
  for (const [index, key] of keys.entries()) {
    const usage = await http.apiGet(
      `/v1/esims/${encodeURIComponent(iccid)}/usage`,
      key,
      usageAnswer,
    );
    if (usage === undefined) continue;
    keys.splice(index, 1);
    keys.unshift(key);
    return usage;
  }
  return undefined;
}

/**
 * The usage the domain model gives. `throttled` is the carrier's rule restated on the ledger:
 * the service has started (the order's plan was credited, which happens when the profile is
 * first enabled) and no data is left.
 */
function derivedUsage(carrier: CarrierId, entries: readonly LedgerEntry[], at: number): UsageView {
  const balance = deriveBalance(entries, {
    at,
    consumptionOrder: carrierProfiles[carrier].dataRules.consumptionOrder,
  });
  const started = entries.some(
    (e) => e.type === 'data_credited' && e.source.kind === 'order' && e.at <= at,
  );
  return {
    dataRemainingBytes: balance.dataRemainingBytes,
    dataUsedBytes: balance.dataUsedBytes,
    throttled: started && balance.dataRemainingBytes === 0,
  };
}

const sameUsage = (a: UsageView, b: UsageView): boolean =>
  a.dataRemainingBytes === b.dataRemainingBytes &&
  a.dataUsedBytes === b.dataUsedBytes &&
  a.throttled === b.throttled;

const sameEntries = (a: readonly LedgerEntry[], b: readonly LedgerEntry[]): boolean =>
  a.length === b.length && a.every((entry, i) => entry.id === b[i]?.id);

const describe = (usage: UsageView): string =>
  `${usage.dataRemainingBytes} bytes left and ${usage.dataUsedBytes} used${usage.throttled ? ', throttled' : ''}`;
