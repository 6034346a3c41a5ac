import type { Violation } from '../violation.ts';
import { evidenceOf } from './evidence.ts';
import { describePurpose, type HistoryIndex } from './history-index.ts';

/**
 * Captures that paid for nothing: captured, never fulfilled, never refunded. A top-up is a
 * `lost_topup`; an order, renewal or fee is an `unfulfilled_capture`.
 */
export function capturesWithoutFulfilment(index: HistoryIndex): Violation[] {
  return index.purposes
    .filter((p) => p.captures.length > 0 && p.fulfilments.length === 0)
    .map(({ purpose, captures }) => {
      const ids = captures.map((c) => c.id).join(', ');
      return {
        kind: purpose.kind === 'topup' ? 'lost_topup' : 'unfulfilled_capture',
        message: `${describePurpose(purpose)} was captured (${ids}) but never ${
          purpose.kind === 'topup' ? 'credited' : 'fulfilled'
        } nor refunded`,
        evidence: evidenceOf({ chargeIds: captures.map((c) => c.id) }),
      };
    });
}

/**
 * Fulfilments nobody paid for: more credits (or assessed fees) for a purpose than captured,
 * unrefunded charges for it. Promotions are free and never counted.
 */
export function fulfilmentsWithoutCharge(index: HistoryIndex): Violation[] {
  return index.purposes
    .filter((p) => p.fulfilments.length > p.captures.length)
    .map(({ purpose, charges, captures, fulfilments }) => {
      const entries = fulfilments.map((e) => e.id).join(', ');
      const unpaid = charges.map((c) => `${c.id} ${c.status}`).join(', ');
      const paid =
        captures.length === 0
          ? `no captured charge${unpaid ? ` (${unpaid})` : ''}`
          : `only ${captures.length} captured charge${captures.length > 1 ? 's' : ''} (${unpaid})`;
      return {
        kind: 'credit_without_charge' as const,
        message: `${describePurpose(purpose)} was fulfilled ${fulfilments.length} time${
          fulfilments.length > 1 ? 's' : ''
        } (${entries}) with ${paid} paying for it`,
        evidence: evidenceOf({
          chargeIds: charges.map((c) => c.id),
          entryIds: fulfilments.map((e) => e.id),
        }),
      };
    });
}
