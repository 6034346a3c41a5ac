import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../ledger/ledger-entry.ts';
import {
  feeStepArbitrary,
  type History,
  historyArbitrary,
  type Purchase,
  planStepArbitrary,
  topupStepArbitrary,
} from '../testing/clean-history.ts';
import { testIccids } from '../testing/consumption-order.ts';
import { expectEqual } from '../testing/expect-equal.ts';
import {
  type Planted,
  plantConflictingRequest,
  plantDroppedFulfilment,
  plantIntentOutcome,
  plantOverdraft,
  plantRefundKeepingFulfilment,
  plantRepeatedTopup,
  plantSecondCapture,
  plantUnpaidCredit,
} from '../testing/plant-violation.ts';
import { type AuditReport, audit, type UnknownIntentResolution } from './audit.ts';
import { type ViolationKind, violationKinds } from './violation.ts';

const noViolations = Object.fromEntries(violationKinds.map((k) => [k, 0])) as Record<
  ViolationKind,
  number
>;

/** The last purchase is the one the `endingWith` step made. */
const target = (history: History): Purchase => {
  const purchase = history.purchases.at(-1);
  if (!purchase) throw new Error('the history has no target purchase');
  return purchase;
};

const byEvidence = (a: { evidence: unknown }, b: { evidence: unknown }): number =>
  JSON.stringify(a.evidence) < JSON.stringify(b.evidence) ? -1 : 1;

/** Asserts the report holds exactly the planted violation(s) of one kind, with their evidence. */
function expectOnly(report: AuditReport, kind: ViolationKind, ...plants: Planted[]): void {
  expectEqual(
    {
      ok: report.ok,
      counts: report.counts,
      violations: report.violations
        .map((v) => ({ kind: v.kind, evidence: v.evidence }))
        .sort(byEvidence),
    },
    {
      ok: false,
      counts: { ...noViolations, [kind]: plants.length },
      violations: plants.map((p) => ({ kind, evidence: p.evidence })).sort(byEvidence),
    },
  );
}

const fulfilled = { outcome: 'fulfilled' as const };
const fulfilledPurchase = fc.oneof(
  topupStepArbitrary.map((s) => ({ ...s, ...fulfilled })),
  planStepArbitrary.map((s) => ({ ...s, ...fulfilled })),
  feeStepArbitrary.map((s) => ({ ...s, ...fulfilled })),
);

describe('audit of a clean history', () => {
  test.prop([historyArbitrary()])('reports nothing', (history) => {
    const { ok, counts, violations } = audit(history.input);
    expectEqual({ ok, counts, violations }, { ok: true, counts: noViolations, violations: [] });
  });

  test.prop([historyArbitrary()])(
    'resolves each unknown intent as charged-and-credited or not charged, as it happened',
    (history) => {
      const expected: UnknownIntentResolution[] = history.purchases
        .filter((p) => p.intentStatus === 'unknown')
        .map(
          (p): UnknownIntentResolution => ({
            intentId: p.intentId ?? '',
            resolution: p.outcome === 'fulfilled' ? 'charged_and_credited' : 'not_charged',
            chargeIds: p.chargeId ? [p.chargeId] : [],
            entryIds: p.fulfilmentEntryId ? [p.fulfilmentEntryId] : [],
          }),
        )
        .sort((a, b) => (a.intentId < b.intentId ? -1 : 1));
      expectEqual(audit(history.input).unknownIntents, expected);
    },
  );

  it('generates every situation a clean history may hold', () => {
    const seen = new Set<string>();
    for (const h of fc.sample(historyArbitrary(), { numRuns: 300, seed: 42 })) {
      for (const p of h.purchases) {
        seen.add(`${p.purpose.kind}:${p.outcome}`);
        if (p.intentStatus) seen.add(`intent:${p.intentStatus}:${p.outcome}`);
      }
      for (const e of h.input.ledger) seen.add(e.type);
      if (h.input.intents.some((i) => i.outcome.status === 'ok' && !i.outcome.topupId)) {
        seen.add('ok intent without topup id');
      }
      const refs = h.input.charges.map((c) => c.clientReference).filter(Boolean);
      if (new Set(refs).size < refs.length) seen.add('one client reference on two eSIMs');
    }
    const expected = [
      ...['order', 'renewal', 'fee'].flatMap((k) =>
        ['fulfilled', 'declined', 'refunded', 'authorized'].map((o) => `${k}:${o}`),
      ),
      ...['fulfilled', 'declined', 'refunded', 'authorized', 'not_charged'].map(
        (o) => `topup:${o}`,
      ),
      'intent:ok:fulfilled',
      'intent:failed:declined',
      'intent:failed:refunded',
      'intent:failed:not_charged',
      'intent:unknown:fulfilled',
      'intent:unknown:declined',
      'intent:unknown:refunded',
      'intent:unknown:authorized',
      'intent:unknown:not_charged',
      'data_consumed',
      'data_expired',
      'fee_assessed',
      'charge_voided',
      'charge_refunded',
      'ok intent without topup id',
      'one client reference on two eSIMs',
    ];
    expect([...seen]).toEqual(expect.arrayContaining(expected));
  });
});

describe('audit finds each planted violation, exactly', () => {
  test.prop([historyArbitrary({ endingWith: fulfilledPurchase })])(
    'reports a purchase captured twice as one duplicate_charge naming both charges',
    (history) => {
      const plant = plantSecondCapture(history, target(history));
      expectOnly(audit(plant.input), 'duplicate_charge', plant);
    },
  );

  test.prop([
    historyArbitrary({
      endingWith: topupStepArbitrary.map((s) => ({ ...s, ...fulfilled, clientReference: true })),
    }),
  ])(
    'reports two captured top-ups carrying one clientReference as a duplicate_charge',
    (history) => {
      const plant = plantRepeatedTopup(history, target(history), 'clientReference');
      expectOnly(audit(plant.input), 'duplicate_charge', plant);
    },
  );

  test.prop([
    historyArbitrary({
      endingWith: topupStepArbitrary.map((s) => ({
        ...s,
        ...fulfilled,
        intent: 'unknown' as const,
        idempotencyKey: true,
        clientReference: false,
      })),
    }),
  ])(
    'reports an unknown intent whose idempotency key maps to two captures as a duplicate_charge',
    (history) => {
      const purchase = target(history);
      const plant = plantRepeatedTopup(history, purchase, 'idempotencyKey');
      const report = audit(plant.input);
      expectOnly(report, 'duplicate_charge', plant);
      expectEqual(
        report.unknownIntents.find((r) => r.intentId === purchase.intentId)?.resolution,
        'charged_more_than_once',
      );
    },
  );

  test.prop([historyArbitrary({ endingWith: fulfilledPurchase }), fc.context()])(
    'counts two separate double captures as two duplicate_charge violations',
    (history) => {
      const first = history.purchases.find(
        (p) => p.outcome === 'fulfilled' && p !== target(history),
      );
      fc.pre(first !== undefined);
      if (!first) return;
      const a = plantSecondCapture(history, first);
      const b = plantSecondCapture(
        {
          ...history,
          input: {
            ...a.input,
            charges: a.input.charges.map((c) =>
              c.id === 'ch_planted' ? { ...c, id: 'ch_planted_a' } : c,
            ),
            ledger: a.input.ledger.map((e) => renameCharge(e, 'ch_planted', 'ch_planted_a')),
          },
        },
        target(history),
      );
      const report = audit(b.input);
      expectOnly(
        report,
        'duplicate_charge',
        { ...a, evidence: renameEvidence(a, 'ch_planted_a') },
        b,
      );
    },
  );

  test.prop([
    historyArbitrary({ endingWith: topupStepArbitrary.map((s) => ({ ...s, ...fulfilled })) }),
  ])('reports a captured top-up that was never credited as a lost_topup', (history) => {
    const purchase = target(history);
    const plant = plantDroppedFulfilment(history, purchase);
    const report = audit(plant.input);
    expectOnly(report, 'lost_topup', plant);
    if (purchase.intentStatus === 'unknown') {
      expectEqual(
        report.unknownIntents.find((r) => r.intentId === purchase.intentId)?.resolution,
        'charged_not_credited',
      );
    }
  });

  test.prop([
    historyArbitrary({
      endingWith: fc
        .oneof(planStepArbitrary, feeStepArbitrary)
        .map((s) => ({ ...s, ...fulfilled })),
    }),
  ])(
    'reports a captured order, renewal or fee that was never fulfilled as an unfulfilled_capture',
    (history) => {
      const plant = plantDroppedFulfilment(history, target(history));
      expectOnly(audit(plant.input), 'unfulfilled_capture', plant);
    },
  );

  test.prop([
    historyArbitrary(),
    fc.constantFrom(...testIccids),
    fc.constantFrom('order', 'topup', 'renewal' as const),
  ])(
    'reports data credited for a purchase with no charge as a credit_without_charge',
    (history, iccid, kind) => {
      const plant = plantUnpaidCredit(history, iccid, kind);
      expectOnly(audit(plant.input), 'credit_without_charge', plant);
    },
  );

  test.prop([historyArbitrary({ endingWith: fulfilledPurchase })])(
    'reports a fulfilment whose charge was refunded as a credit_without_charge',
    (history) => {
      const plant = plantRefundKeepingFulfilment(history, target(history));
      expectOnly(audit(plant.input), 'credit_without_charge', plant);
    },
  );

  test.prop([
    historyArbitrary(),
    fc.constantFrom(...testIccids),
    fc.integer({ min: 1, max: 2 ** 40 }),
  ])(
    'reports usage beyond the live data as a negative_balance on that eSIM',
    (history, iccid, extraBytes) => {
      const plant = plantOverdraft(history, iccid, extraBytes);
      const report = audit(plant.input);
      expectOnly(report, 'negative_balance', plant);
      expectEqual(report.violations[0]?.iccid, iccid);
    },
  );

  test.prop([
    historyArbitrary({
      endingWith: topupStepArbitrary.map((s) => ({ ...s, ...fulfilled, idempotencyKey: true })),
    }),
  ])('reports a key bound to two different requests as an idempotency_conflict', (history) => {
    const record = history.input.idempotencyRecords.at(-1);
    if (!record) throw new Error('the target top-up stored no idempotency record');
    const plant = plantConflictingRequest(history, record);
    const report = audit(plant.input);
    expectOnly(report, 'idempotency_conflict', plant);
    expectEqual(report.violations[0]?.scope, record.scope);
  });

  test.prop([
    historyArbitrary({
      endingWith: topupStepArbitrary.map((s) => ({
        ...s,
        outcome: s.outcome === 'fulfilled' ? ('declined' as const) : s.outcome,
        intent: s.intent === 'failed' ? ('failed' as const) : ('unknown' as const),
      })),
    }),
  ])(
    'reports an ok intent whose top-up was never credited as ok_intent_not_credited',
    (history) => {
      const purchase = target(history);
      const plant = plantIntentOutcome(history, purchase, {
        status: 'ok',
        topupId: purchase.purpose.ref,
      });
      expectOnly(audit(plant.input), 'ok_intent_not_credited', plant);
    },
  );

  test.prop([
    historyArbitrary({
      endingWith: topupStepArbitrary.map((s) => ({
        ...s,
        ...fulfilled,
        intent: s.intent === 'ok' ? ('ok' as const) : ('unknown' as const),
        // A failed outcome carries no top-up id: only a reference or key links it to its charge.
        clientReference: s.clientReference || !s.idempotencyKey,
      })),
    }),
  ])('reports a failed intent that was charged as failed_intent_charged', (history) => {
    const plant = plantIntentOutcome(history, target(history), { status: 'failed' });
    expectOnly(audit(plant.input), 'failed_intent_charged', plant);
  });
});

describe('audit reports', () => {
  test.prop([historyArbitrary({ endingWith: fulfilledPurchase }), fc.infiniteStream(fc.nat())])(
    'the same violations whatever order the charges, intents and records arrive in',
    (history, keys) => {
      const plant = plantSecondCapture(history, target(history));
      const shuffle = <T>(xs: readonly T[]): T[] =>
        xs
          .map((x) => ({ x, k: keys.next().value as number }))
          .sort((a, b) => a.k - b.k)
          .map(({ x }) => x);
      const shuffled = {
        ...plant.input,
        charges: shuffle(plant.input.charges),
        intents: shuffle(plant.input.intents),
        idempotencyRecords: shuffle(plant.input.idempotencyRecords),
      };
      expectEqual(audit(shuffled), audit(plant.input));
    },
  );
});

function renameCharge(e: LedgerEntry, from: string, to: string): LedgerEntry {
  if (!('chargeId' in e) || e.chargeId !== from) return e;
  return { ...e, chargeId: to, id: e.id.replace(from, to) };
}

function renameEvidence(plant: Planted, to: string): Planted['evidence'] {
  return {
    ...plant.evidence,
    chargeIds: plant.evidence.chargeIds.map((id) => (id === 'ch_planted' ? to : id)).sort(),
  };
}
