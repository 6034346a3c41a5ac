import type { PlanId, TopupIntent } from '@esimlab/domain';
import { describe, expect, it } from 'vitest';
import { intentBatches, mergeAudits } from './audit-batches.ts';
import type { AuditAnswer, AuditAnswerViolation } from './carrier-answers.ts';

const intent = (intentId: string, iccid: string): TopupIntent => ({
  intentId,
  iccid,
  planId: 'att-boost-5gb' as PlanId,
  idempotencyKey: `key-${intentId}`,
  outcome: { status: 'unknown' },
});

const bytesOf = (batch: readonly TopupIntent[]): number =>
  batch.reduce((sum, i) => sum + Buffer.byteLength(JSON.stringify(i)) + 1, 0);

describe('intentBatches', () => {
  it('sends one empty batch for no intents, so the carrier-wide audit still runs', () => {
    expect(intentBatches([], 1000)).toEqual([[]]);
  });

  it("keeps each eSIM's intents in one batch within the size limit", () => {
    const intents = Array.from({ length: 60 }, (_, n) =>
      intent(`i-${n}`, `89100000000000000${n % 7}`),
    );
    const size = bytesOf([intent('i-00', '891000000000000000')]);
    const batches = intentBatches(intents, size * 12);
    expect(batches.length).toBeGreaterThan(5);
    expect(
      batches
        .flat()
        .map((i) => i.intentId)
        .sort(),
    ).toEqual(intents.map((i) => i.intentId).sort());
    for (const batch of batches) expect(bytesOf(batch)).toBeLessThanOrEqual(size * 12);
    const batchOfEsim = new Map<string, number>();
    batches.forEach((batch, n) => {
      for (const i of batch) {
        expect(batchOfEsim.get(i.iccid) ?? n, i.iccid).toBe(n);
        batchOfEsim.set(i.iccid, n);
      }
    });
  });

  it('splits only an eSIM with more intents than one batch holds', () => {
    const intents = Array.from({ length: 10 }, (_, n) => intent(`i-${n}`, '8910000000000000001'));
    const batches = intentBatches(intents, bytesOf(intents.slice(0, 4)));
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
  });
});

const violation = (
  kind: AuditAnswerViolation['kind'],
  ids: { chargeIds?: string[]; entryIds?: string[]; intentIds?: string[] },
  message = `${kind} ${ids.chargeIds?.join(',')}`,
): AuditAnswerViolation => ({
  kind,
  message,
  evidence: {
    chargeIds: ids.chargeIds ?? [],
    entryIds: ids.entryIds ?? [],
    intentIds: ids.intentIds ?? [],
    idempotencyKeys: [],
  },
});

const answer = (violations: AuditAnswerViolation[], unknown: string[] = []): AuditAnswer => ({
  ok: violations.length === 0,
  violations,
  unknownIntents: unknown.map((intentId) => ({
    intentId,
    resolution: 'not_charged',
    chargeIds: [],
    entryIds: [],
  })),
});

describe('mergeAudits', () => {
  it('reports a carrier-wide violation every batch repeats once, with the intents of each', () => {
    const merged = mergeAudits([
      answer([violation('lost_topup', { chargeIds: ['ch_1'], intentIds: ['i-1'] })], ['i-9']),
      answer([violation('lost_topup', { chargeIds: ['ch_1'], intentIds: ['i-2'] })], ['i-3']),
      answer([violation('lost_topup', { chargeIds: ['ch_1'] })]),
    ]);
    expect(merged.violations).toEqual([
      violation('lost_topup', { chargeIds: ['ch_1'], intentIds: ['i-1', 'i-2'] }),
    ]);
    expect(merged.unknownIntents.map((u) => u.intentId)).toEqual(['i-3', 'i-9']);
  });

  it("keeps each intent's own violations apart, even with the same evidence", () => {
    const merged = mergeAudits([
      answer([violation('ok_intent_not_credited', { intentIds: ['i-1'] })]),
      answer([violation('ok_intent_not_credited', { intentIds: ['i-2'] })]),
    ]);
    expect(merged.violations.map((v) => v.evidence.intentIds)).toEqual([['i-1'], ['i-2']]);
  });

  it('joins the parts of one duplicate purchase that batches saw separately', () => {
    const full = violation(
      'duplicate_charge',
      { chargeIds: ['ch_1', 'ch_2', 'ch_3'], intentIds: ['i-1'] },
      '3 captured charges pay for one purchase',
    );
    const merged = mergeAudits([
      answer([full]),
      answer([violation('duplicate_charge', { chargeIds: ['ch_1', 'ch_2'] })]),
      answer([violation('duplicate_charge', { chargeIds: ['ch_8', 'ch_9'] })]),
    ]);
    expect(merged.violations).toEqual([
      full,
      violation('duplicate_charge', { chargeIds: ['ch_8', 'ch_9'] }),
    ]);
  });
});
