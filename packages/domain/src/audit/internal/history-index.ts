import type { ChargePurpose, FulfilmentEntry, LedgerEntry } from '../../ledger/ledger-entry.ts';
import type { GatewayCharge } from '../gateway-charge.ts';
import { compareText } from './evidence.ts';

/** Charges and fulfilments joined by what they pay for. */
export interface HistoryIndex {
  /** Sorted by id. */
  readonly charges: readonly GatewayCharge[];
  /** The eSIM a charge was authorized for, as the carrier's ledger records it. */
  readonly iccidOfCharge: ReadonlyMap<string, string>;
  /** Every purpose that has a charge or a fulfilment, sorted by key. */
  readonly purposes: readonly PurposeRecord[];
}

export interface PurposeRecord {
  readonly purpose: ChargePurpose;
  readonly charges: readonly GatewayCharge[];
  readonly captures: readonly GatewayCharge[];
  readonly fulfilments: readonly FulfilmentEntry[];
}

/** A purpose as a map key. */
export const purposeKey = (p: ChargePurpose): string => `${p.kind}\u0000${p.ref}`;

/** The purpose a fulfilment settles; promotions settle none, as nobody pays for them. */
export function purposeOf(entry: FulfilmentEntry): ChargePurpose | null {
  if (entry.type === 'fee_assessed') return { kind: 'fee', ref: entry.ref };
  return entry.source.kind === 'promotion'
    ? null
    : { kind: entry.source.kind, ref: entry.source.ref };
}

export function indexHistory(
  ledger: readonly LedgerEntry[],
  charges: readonly GatewayCharge[],
): HistoryIndex {
  const sortedCharges = [...charges].sort((a, b) => compareText(a.id, b.id));
  const iccidOfCharge = new Map<string, string>();
  for (const e of ledger) {
    if (e.type === 'charge_authorized' && !iccidOfCharge.has(e.chargeId)) {
      iccidOfCharge.set(e.chargeId, e.iccid);
    }
  }

  const byPurpose = new Map<
    string,
    { purpose: ChargePurpose; charges: GatewayCharge[]; fulfilments: FulfilmentEntry[] }
  >();
  const recordFor = (purpose: ChargePurpose) => {
    const key = purposeKey(purpose);
    let record = byPurpose.get(key);
    if (!record) {
      record = { purpose: { kind: purpose.kind, ref: purpose.ref }, charges: [], fulfilments: [] };
      byPurpose.set(key, record);
    }
    return record;
  };
  for (const charge of sortedCharges) recordFor(charge.purpose).charges.push(charge);
  for (const e of ledger) {
    if (e.type !== 'data_credited' && e.type !== 'fee_assessed') continue;
    const purpose = purposeOf(e);
    if (purpose) recordFor(purpose).fulfilments.push(e);
  }

  const purposes = [...byPurpose.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([, r]) => ({ ...r, captures: r.charges.filter((c) => c.status === 'captured') }));
  return { charges: sortedCharges, iccidOfCharge, purposes };
}

export const describePurpose = (p: ChargePurpose): string =>
  `${p.kind === 'topup' ? 'top-up' : p.kind} ${p.ref}`;
