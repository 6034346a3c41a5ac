import { type Balance, type CreditSource, deriveBalance, type LedgerEntry } from '@esimlab/domain';
import { cursorAfter, type FindAfter, type StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import {
  creditSourceKey,
  type EsimRecord,
  esims,
  type LedgerRecord,
  ledger,
  ledgerRecordOf,
} from '../../persistence/collections.ts';

/** A ledger entry before the carrier gives it an id. */
export type NewLedgerEntry = LedgerEntry extends infer E
  ? E extends LedgerEntry
    ? Omit<E, 'id'>
    : never
  : never;

/** Appends entries to the carrier's ledger in the given order, inside the caller's transaction. */
export async function appendLedger(
  tx: StoreTx,
  context: CarrierContext,
  entries: readonly NewLedgerEntry[],
): Promise<LedgerEntry[]> {
  const written: LedgerEntry[] = [];
  for (const draft of entries) {
    // From the store's sequence, not max + 1: replicas appending at once never conflict on it.
    const seq = await tx.nextInSequence(ledger, 'seq');
    const entry = { ...draft, id: context.ids.next('le') } as LedgerEntry;
    await tx.insert(ledger, ledgerRecordOf(entry, seq));
    written.push(entry);
  }
  return written;
}

/** Every ledger entry of one eSIM, in ledger order. */
export async function ledgerOf(tx: StoreTx, iccid: string): Promise<LedgerEntry[]> {
  const records = await tx.find(ledger, { iccid }, { orderBy: 'seq' });
  return records.map((r) => r.entry);
}

/**
 * The entries after the one numbered `after` (a `seq`), `limit` at most, of one eSIM or all,
 * in ledger order, each with its `seq`: `GET /_sim/ledger`, whole or one page of it.
 */
export async function ledgerPage(
  tx: StoreTx,
  page: { readonly iccid?: string; readonly after?: number; readonly limit?: number },
): Promise<LedgerRecord[]> {
  return tx.find(ledger, page.iccid === undefined ? {} : { iccid: page.iccid }, {
    orderBy: 'seq',
    ...(page.after === undefined ? {} : { after: page.after }),
    ...(page.limit === undefined ? {} : { limit: page.limit }),
  });
}

/** An eSIM's balance now, derived from its ledger with the carrier's consumption order. */
export async function balanceNow(
  tx: StoreTx,
  context: CarrierContext,
  iccid: string,
): Promise<Balance> {
  return deriveBalance(await ledgerOf(tx, iccid), {
    at: context.clock.now(),
    consumptionOrder: context.profile.dataRules.consumptionOrder,
  });
}

/**
 * Whether the eSIM's ledger already holds a data credit from `source`: what makes every
 * fulfilment idempotent, so a saga step repeated after a crash never credits twice.
 */
export async function isCredited(
  tx: StoreTx,
  iccid: string,
  source: CreditSource,
): Promise<boolean> {
  const credits = await tx.find(
    ledger,
    { creditSource: creditSourceKey(source), iccid },
    { limit: 1 },
  );
  return credits.length > 0;
}

/**
 * The eSIMs with a base bucket that expires in the window (after `from`, up to `to`), by
 * ICCID: where the expiry, notice and renewal sweeps start, found by index rather than by
 * reading every eSIM's ledger as time passes.
 */
export async function esimsWithBaseExpiryIn(
  tx: StoreTx,
  window: { readonly from: number; readonly to: number },
): Promise<EsimRecord[]> {
  const found: EsimRecord[] = [];
  for (const iccid of [...(await iccidsWithBaseExpiryIn(tx, window))].sort()) {
    const esim = await tx.get(esims, iccid);
    if (esim) found.push(esim);
  }
  return found;
}

async function iccidsWithBaseExpiryIn(
  tx: StoreTx,
  window: { readonly from: number; readonly to: number },
): Promise<Set<string>> {
  const iccids = new Set<string>();
  const page = 200;
  let after: FindAfter = window.from;
  for (;;) {
    const records: LedgerRecord[] = await tx.find(
      ledger,
      {},
      { orderBy: 'baseExpiresAt', after, limit: page },
    );
    for (const record of records) {
      if ((record.baseExpiresAt ?? Number.POSITIVE_INFINITY) > window.to) return iccids;
      iccids.add(record.iccid);
    }
    const last = records.at(-1);
    if (records.length < page || !last) return iccids;
    after = cursorAfter(ledger, last, 'baseExpiresAt');
  }
}
