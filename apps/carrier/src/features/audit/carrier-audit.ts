import {
  type AuditReport,
  audit,
  compareText,
  type GatewayCharge,
  type IdempotencyRecord,
  type LedgerEntry,
  mergeAuditReports,
  type TopupIntent,
  type Violation,
} from '@esimlab/domain';
import { type Collection, cursorAfter, type FindAfter, type StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import {
  type ChargeRecord,
  charges,
  esims,
  idempotencyKeys,
  type LedgerRecord,
  ledger,
  type IdempotencyRecord as StoredKey,
} from '../../persistence/collections.ts';
import { isAbandoned } from '../../replication/hold.ts';
import { liveReplicas } from '../../replication/replica-registry.ts';
import { ledgerOf } from '../ledger/esim-ledger.ts';
import { sagasInFlight } from '../saga/payment-saga.ts';

// Audits again after waiting for the sagas a report caught between steps, at most this often.
const AUDIT_ATTEMPTS = 5;
// How long to give another replica's saga before auditing again: a saga takes milliseconds.
const OTHER_REPLICA_PAUSE_MS = 100;

// Pages small enough that an audit after a million top-ups holds little more than one
// subscriber's history at a time.
const ESIMS_PER_PAGE = 100;
const KEYS_PER_PAGE = 1000;
const ROWS_PER_PAGE = 1000;

/**
 * Runs the domain audit over this carrier's ledger, its gateway's charges and its stored
 * keys, joined with a client's intents when it sends its log.
 *
 * A purchase whose saga runs step by step (an `async` top-up falling due, recovery, a crash
 * point between the steps armed) may have credited but not yet captured, which looks like a
 * credit without a charge. Such a finding, on an authorized charge whose saga is running (in this
 * process, or held by another live replica), is checked again once the saga has had time to
 * end; if new purchases keep arriving, the last round leaves out those still running: their
 * sagas will capture or void them, and recovery finishes them after a crash.
 */
export async function auditCarrier(
  context: CarrierContext,
  intents: readonly TopupIntent[] = [],
): Promise<AuditReport> {
  for (let attempt = 1; ; attempt++) {
    const { report, midSaga } = await context.store.transaction(async (tx) => {
      const report = await auditOnce(tx, context, intents);
      return { report, midSaga: await creditsMidSaga(tx, context, report) };
    });
    if (midSaga.violations.length === 0) return report;
    if (attempt === AUDIT_ATTEMPTS) {
      return mergeAuditReports([
        {
          ...report,
          violations: report.violations.filter((v) => !midSaga.violations.includes(v)),
        },
      ]);
    }
    await Promise.all(midSaga.runningHere);
    if (midSaga.elsewhere) await context.scheduler.delay(OTHER_REPLICA_PAUSE_MS);
  }
}

interface CreditsMidSaga {
  /** The `credit_without_charge` findings whose every charge is in a running saga. */
  readonly violations: readonly Violation[];
  /** This process's sagas among them, settled when each ends. */
  readonly runningHere: readonly Promise<void>[];
  /** Whether another replica runs one of them (its end cannot be awaited, only waited for). */
  readonly elsewhere: boolean;
}

// Read in the audit's transaction, so no saga can end between the report and this.
async function creditsMidSaga(
  tx: StoreTx,
  context: CarrierContext,
  report: AuditReport,
): Promise<CreditsMidSaga> {
  const suspects = report.violations.filter((v) => v.kind === 'credit_without_charge');
  if (suspects.length === 0) return { violations: [], runningHere: [], elsewhere: false };
  const live = await liveReplicas(tx, context);
  const violations: Violation[] = [];
  const runningHere: Promise<void>[] = [];
  let elsewhere = false;
  for (const violation of suspects) {
    const { chargeIds } = violation.evidence;
    const here = sagasInFlight(context, chargeIds);
    let others = 0;
    for (const id of chargeIds) {
      const charge = await tx.get(charges, id);
      const hold = charge?.status === 'authorized' ? charge.hold : undefined;
      if (
        hold !== undefined &&
        hold.replica !== context.replica.id &&
        !isAbandoned(context, live, hold)
      ) {
        others++;
      }
    }
    if (chargeIds.length === 0 || here.length + others < chargeIds.length) continue;
    violations.push(violation);
    runningHere.push(...here);
    if (others > 0) elsewhere = true;
  }
  return { violations, runningHere, elsewhere };
}

/**
 * Every check stays within one eSIM, so this audits them one by one (and the keys apart) and
 * merges the reports: memory does not grow with the ledger. Entries and charges are found
 * through their eSIM. Each should name one the carrier has (an order writes the eSIM with its
 * charge, and only a reset, which wipes the history too, deletes one); rows that name none,
 * which only a bug could write, are counted, found, reported as `unknown_esim` and audited by
 * the eSIM they name.
 */
async function auditOnce(
  tx: StoreTx,
  context: CarrierContext,
  intents: readonly TopupIntent[],
): Promise<AuditReport> {
  const consumptionOrder = context.profile.dataRules.consumptionOrder;
  const intentsOf = groupByIccid(intents);
  const parts: AuditReport[] = [];
  const auditEsim = (iccid: string, history: EsimHistory, unknown = false) => {
    const part = audit({
      ...history,
      consumptionOrder,
      intents: intentsOf.get(iccid) ?? [],
      ...(unknown ? { unknownEsim: iccid } : {}),
    });
    intentsOf.delete(iccid);
    if (!isEmpty(part)) parts.push(part);
  };
  const seen = { entries: 0, charges: 0 };
  for await (const iccid of everyIccid(tx)) {
    const history: EsimHistory = {
      ledger: await ledgerOf(tx, iccid),
      charges: (await tx.find(charges, { iccid }, { orderBy: 'createdAt' })).map(gatewayCharge),
    };
    seen.entries += history.ledger.length;
    seen.charges += history.charges.length;
    auditEsim(iccid, history);
  }
  for (const [iccid, history] of await straysOf(tx, seen)) auditEsim(iccid, history, true);
  // Intents naming an eSIM this carrier never had: nothing can back them.
  const orphans = [...intentsOf.values()].flat();
  if (orphans.length > 0) {
    parts.push(audit({ ledger: [], charges: [], consumptionOrder, intents: orphans }));
  }
  for await (const page of keyPages(tx)) {
    const part = audit({ ledger: [], charges: [], consumptionOrder, idempotencyRecords: page });
    if (!isEmpty(part)) parts.push(part);
  }
  return mergeAuditReports(parts);
}

interface EsimHistory {
  readonly ledger: LedgerEntry[];
  readonly charges: GatewayCharge[];
}

/**
 * Ledger entries and charges naming an eSIM the carrier does not have, by the eSIM they name,
 * each eSIM's in order. Counting is enough to know there are none (the usual case); otherwise
 * both collections are read in pages. Only a bug writes such rows, so they are few.
 */
async function straysOf(
  tx: StoreTx,
  seen: { readonly entries: number; readonly charges: number },
): Promise<Map<string, EsimHistory>> {
  const entriesLeft = (await tx.count(ledger, {})) > seen.entries;
  const chargesLeft = (await tx.count(charges, {})) > seen.charges;
  if (!entriesLeft && !chargesLeft) return new Map();
  const known = new Map<string, boolean>();
  const isStray = async (iccid: string) => {
    let has = known.get(iccid);
    if (has === undefined) {
      has = (await tx.get(esims, iccid)) !== undefined;
      known.set(iccid, has);
    }
    return !has;
  };
  const strayEntries = new Map<string, LedgerRecord[]>();
  const strayCharges = new Map<string, ChargeRecord[]>();
  const collect = async <T extends { readonly iccid: string }>(
    collection: Collection<T>,
    into: Map<string, T[]>,
  ) => {
    for await (const page of pagesOf(tx, collection, ROWS_PER_PAGE)) {
      for (const row of page) {
        if (!(await isStray(row.iccid))) continue;
        const group = into.get(row.iccid);
        if (group === undefined) into.set(row.iccid, [row]);
        else group.push(row);
      }
    }
  };
  if (entriesLeft) await collect(ledger, strayEntries);
  if (chargesLeft) await collect(charges, strayCharges);
  const strays = new Map<string, EsimHistory>();
  for (const iccid of new Set([...strayEntries.keys(), ...strayCharges.keys()])) {
    const entries = [...(strayEntries.get(iccid) ?? [])].sort((a, b) => a.seq - b.seq);
    const paid = [...(strayCharges.get(iccid) ?? [])].sort(
      (a, b) => a.createdAt - b.createdAt || compareText(a.id, b.id),
    );
    strays.set(iccid, {
      ledger: entries.map((r) => r.entry),
      charges: paid.map(gatewayCharge),
    });
  }
  return strays;
}

/**
 * A whole collection in pages of `size`, by primary key (the cheapest order to resume on every
 * store), each page a transaction's read of at most `size` documents.
 */
async function* pagesOf<T>(
  tx: StoreTx,
  collection: Collection<T>,
  size: number,
): AsyncGenerator<T[]> {
  let after: FindAfter | undefined;
  for (;;) {
    const page = await tx.find(
      collection,
      {},
      { limit: size, ...(after === undefined ? {} : { after }) },
    );
    if (page.length > 0) yield page;
    const last = page.at(-1);
    if (page.length < size || last === undefined) return;
    after = cursorAfter(collection, last);
  }
}

async function* everyIccid(tx: StoreTx): AsyncGenerator<string> {
  for await (const page of pagesOf(tx, esims, ESIMS_PER_PAGE)) {
    for (const esim of page) yield esim.iccid;
  }
}

async function* keyPages(tx: StoreTx): AsyncGenerator<IdempotencyRecord[]> {
  for await (const page of pagesOf(tx, idempotencyKeys, KEYS_PER_PAGE)) yield page.map(keyRecord);
}

function gatewayCharge(c: ChargeRecord): GatewayCharge {
  return {
    id: c.id,
    amount: c.amount,
    status: c.status,
    purpose: c.purpose,
    createdAt: c.createdAt,
    ...(c.idempotencyKey === undefined ? {} : { idempotencyKey: c.idempotencyKey }),
    ...(c.clientReference === undefined ? {} : { clientReference: c.clientReference }),
  };
}

function keyRecord(r: StoredKey): IdempotencyRecord {
  // The record id is "<tenant> <METHOD> <path> <key>"; the key may itself contain spaces.
  const [tenantId = '', method = '', path = ''] = r.id.split(' ');
  return { key: r.key, scope: { tenantId, method, path }, requestFingerprint: r.fingerprint };
}

function groupByIccid(intents: readonly TopupIntent[]): Map<string, TopupIntent[]> {
  const byIccid = new Map<string, TopupIntent[]>();
  for (const intent of intents) {
    const group = byIccid.get(intent.iccid);
    if (group) group.push(intent);
    else byIccid.set(intent.iccid, [intent]);
  }
  return byIccid;
}

const isEmpty = (report: AuditReport): boolean =>
  report.violations.length === 0 && report.unknownIntents.length === 0;
