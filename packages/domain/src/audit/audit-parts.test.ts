import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { type History, historyArbitrary, type Purchase } from '../testing/clean-history.ts';
import { expectEqual } from '../testing/expect-equal.ts';
import {
  plantConflictingRequest,
  plantDroppedFulfilment,
  plantIntentOutcome,
  plantOverdraft,
  plantRefundKeepingFulfilment,
  plantRepeatedTopup,
  plantSecondCapture,
  plantUnpaidCredit,
} from '../testing/plant-violation.ts';
import { type AuditInput, audit, type CompleteAuditInput, mergeAuditReports } from './audit.ts';

/**
 * A history cut the way the carrier audits it: each eSIM with its ledger, the charges its
 * ledger authorized and the intents naming it; the idempotency records on their own.
 */
function partsOf(input: CompleteAuditInput): AuditInput[] {
  const iccidOfCharge = new Map<string, string>();
  for (const e of input.ledger) {
    if (e.type === 'charge_authorized' && !iccidOfCharge.has(e.chargeId)) {
      iccidOfCharge.set(e.chargeId, e.iccid);
    }
  }
  const iccids = new Set([
    ...input.ledger.map((e) => e.iccid),
    ...input.intents.map((i) => i.iccid),
    ...iccidOfCharge.values(),
  ]);
  const base = { consumptionOrder: input.consumptionOrder };
  return [
    ...[...iccids].map((iccid) => ({
      ...base,
      ledger: input.ledger.filter((e) => e.iccid === iccid),
      charges: input.charges.filter((c) => iccidOfCharge.get(c.id) === iccid),
      intents: input.intents.filter((i) => i.iccid === iccid),
    })),
    { ...base, ledger: [], charges: [], idempotencyRecords: input.idempotencyRecords },
  ];
}

type Plant = (history: History, purchase: Purchase) => CompleteAuditInput | undefined;

// Every mutant the audit knows, each applied to the history's last purchase where it fits.
const plants: Record<string, Plant> = {
  none: (h) => h.input,
  secondCapture: (h, p) => plantSecondCapture(h, p).input,
  repeatedByReference: (h, p) =>
    h.input.charges.find((c) => c.id === p.chargeId)?.clientReference === undefined
      ? undefined
      : plantRepeatedTopup(h, p, 'clientReference').input,
  repeatedByKey: (h, p) =>
    h.input.charges.find((c) => c.id === p.chargeId)?.idempotencyKey === undefined
      ? undefined
      : plantRepeatedTopup(h, p, 'idempotencyKey').input,
  droppedFulfilment: (h, p) => plantDroppedFulfilment(h, p).input,
  unpaidCredit: (h, p) => plantUnpaidCredit(h, p.iccid, 'topup').input,
  refundKeepingFulfilment: (h, p) => plantRefundKeepingFulfilment(h, p).input,
  overdraft: (h, p) => plantOverdraft(h, p.iccid, 1).input,
  conflictingRequest: (h) => {
    const record = h.input.idempotencyRecords[0];
    return record === undefined ? undefined : plantConflictingRequest(h, record).input;
  },
  intentSaysFailed: (h, p) =>
    p.intentId === undefined ? undefined : plantIntentOutcome(h, p, { status: 'failed' }).input,
};

const alwaysCaught = new Set(['secondCapture', 'droppedFulfilment', 'unpaidCredit', 'overdraft']);

const fulfilledHistory = historyArbitrary().filter((h) =>
  h.purchases.some((p) => p.outcome === 'fulfilled' && p.chargeId !== undefined),
);

describe('the audit of a history, eSIM by eSIM', () => {
  test.prop([fulfilledHistory, fc.constantFrom(...Object.keys(plants))], { numRuns: 300 })(
    'merges to the audit of the whole history',
    (history, plantName) => {
      const purchase = [...history.purchases]
        .reverse()
        .find((p) => p.outcome === 'fulfilled' && p.chargeId !== undefined) as Purchase;
      const input = plants[plantName]?.(history, purchase);
      fc.pre(input !== undefined);
      if (input === undefined) return;
      const whole = audit(input);
      // These always break the history (others may not, e.g. a key reused in another scope).
      if (alwaysCaught.has(plantName)) expect(whole.ok).toBe(false);
      expectEqual(mergeAuditReports(partsOf(input).map(audit)), whole);
    },
  );
});
