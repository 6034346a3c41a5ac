import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../ledger/ledger-entry.ts';
import { usd } from '../money/money.ts';
import { testIccids } from '../testing/consumption-order.ts';
import { type AuditInput, audit } from './audit.ts';
import type { GatewayCharge } from './gateway-charge.ts';
import type { TopupIntent } from './intent.ts';

const [esimA = '', esimB = ''] = testIccids;
const t0 = Date.UTC(2026, 2, 7, 15);
const order = ['promo', 'pass', 'base', 'boost'] as const;

const topupCharge = (
  id: string,
  ref: string,
  extra: Partial<GatewayCharge> = {},
): GatewayCharge => ({
  id,
  amount: usd(10),
  status: 'captured',
  purpose: { kind: 'topup', ref },
  createdAt: t0,
  ...extra,
});
const authorized = (chargeId: string, ref: string, iccid = esimA): LedgerEntry => ({
  type: 'charge_authorized',
  id: `le_${chargeId}`,
  at: t0,
  iccid,
  chargeId,
  amount: usd(10),
  purpose: { kind: 'topup', ref },
});
const credited = (
  id: string,
  ref: string,
  iccid = esimA,
  kind: 'topup' | 'promotion' = 'topup',
): LedgerEntry => ({
  type: 'data_credited',
  id,
  at: t0,
  iccid,
  bucketId: `bk_${id}`,
  bucket: kind === 'topup' ? 'boost' : 'promo',
  bytes: 1_000,
  expiresAt: t0 + 1_000,
  source: { kind, ref },
});
const history = (parts: Partial<AuditInput>): AuditInput => ({
  ledger: [],
  charges: [],
  consumptionOrder: order,
  ...parts,
});
const okIntent = (intentId: string, topupId: string): TopupIntent => ({
  intentId,
  iccid: esimA,
  planId: 'att-boost-1gb' as TopupIntent['planId'],
  outcome: { status: 'ok', topupId },
});

describe('audit, by example', () => {
  it('does not ask anyone to pay for promotion data', () => {
    expect(audit(history({ ledger: [credited('le_1', 'promo_1', esimA, 'promotion')] })).ok).toBe(
      true,
    );
  });

  it('reads one clientReference on two eSIMs as two purchases', () => {
    const report = audit(
      history({
        ledger: [
          authorized('ch_1', 'tu_1', esimA),
          credited('le_1', 'tu_1', esimA),
          authorized('ch_2', 'tu_2', esimB),
          credited('le_2', 'tu_2', esimB),
        ],
        charges: [
          topupCharge('ch_1', 'tu_1', { clientReference: 'ref-1' }),
          topupCharge('ch_2', 'tu_2', { clientReference: 'ref-1' }),
        ],
      }),
    );
    expect(report.violations).toEqual([]);
  });

  it('binds an idempotency key separately in each scope', () => {
    const scope = (path: string) => ({ tenantId: 'dev', method: 'POST', path });
    const report = audit(
      history({
        idempotencyRecords: [
          { key: 'k', scope: scope('/v1/esims'), requestFingerprint: 'a' },
          { key: 'k', scope: scope(`/v1/esims/${esimA}/topups`), requestFingerprint: 'b' },
          {
            key: 'k',
            scope: { ...scope('/v1/esims'), tenantId: 'other' },
            requestFingerprint: 'c',
          },
        ],
      }),
    );
    expect(report.ok).toBe(true);
  });

  it('charges nothing for a hold that was voided or is still pending', () => {
    const report = audit(
      history({
        ledger: [authorized('ch_1', 'tu_1'), authorized('ch_2', 'tu_2')],
        charges: [
          topupCharge('ch_1', 'tu_1', { status: 'voided', clientReference: 'r1' }),
          topupCharge('ch_2', 'tu_2', { status: 'authorized', clientReference: 'r2' }),
        ],
        intents: [
          { ...okIntent('int_1', 'x'), clientReference: 'r1', outcome: { status: 'failed' } },
          { ...okIntent('int_2', 'x'), clientReference: 'r2', outcome: { status: 'unknown' } },
        ],
      }),
    );
    expect(report.ok).toBe(true);
    expect(report.unknownIntents).toEqual([
      { intentId: 'int_2', resolution: 'not_charged', chargeIds: ['ch_2'], entryIds: [] },
    ]);
  });

  it('names the intent in the lost_topup rather than reporting its ok outcome separately', () => {
    const report = audit(
      history({
        ledger: [authorized('ch_1', 'tu_1')],
        charges: [topupCharge('ch_1', 'tu_1')],
        intents: [okIntent('int_1', 'tu_1')],
      }),
    );
    expect(report.violations).toEqual([
      {
        kind: 'lost_topup',
        message: 'top-up tu_1 was captured (ch_1) but never credited nor refunded',
        evidence: { chargeIds: ['ch_1'], entryIds: [], intentIds: ['int_1'], idempotencyKeys: [] },
      },
    ]);
  });

  it('reports a purchase captured twice and never delivered as both a duplicate and a loss', () => {
    const report = audit(
      history({
        ledger: [authorized('ch_1', 'tu_1'), authorized('ch_2', 'tu_1')],
        charges: [topupCharge('ch_1', 'tu_1'), topupCharge('ch_2', 'tu_1')],
      }),
    );
    expect(report.violations.map((v) => [v.kind, v.evidence.chargeIds])).toEqual([
      ['duplicate_charge', ['ch_1', 'ch_2']],
      ['lost_topup', ['ch_1', 'ch_2']],
    ]);
  });

  it('reports a top-up credited twice for one capture as one credit without charge', () => {
    const report = audit(
      history({
        ledger: [authorized('ch_1', 'tu_1'), credited('le_1', 'tu_1'), credited('le_2', 'tu_1')],
        charges: [topupCharge('ch_1', 'tu_1')],
        intents: [okIntent('int_1', 'tu_1')],
      }),
    );
    expect(report.counts.credit_without_charge).toBe(1);
    expect(report.violations).toHaveLength(1);
    expect(report.violations[0]?.evidence).toEqual({
      chargeIds: ['ch_1'],
      entryIds: ['le_1', 'le_2'],
      intentIds: ['int_1'],
      idempotencyKeys: [],
    });
  });
});

describe('audit of the history of an eSIM the carrier does not have', () => {
  it('reports every row as unknown_esim, even when they balance', () => {
    const report = audit(
      history({
        ledger: [authorized('ch_1', 'tu_1', esimB), credited('le_credit', 'tu_1', esimB)],
        charges: [topupCharge('ch_1', 'tu_1')],
        unknownEsim: esimB,
      }),
    );
    expect(report.ok).toBe(false);
    expect(report.counts.unknown_esim).toBe(1);
    expect(report.violations).toEqual([
      {
        kind: 'unknown_esim',
        message: `2 ledger entries and 1 charge name eSIM ${esimB}, which the carrier does not have`,
        iccid: esimB,
        evidence: {
          chargeIds: ['ch_1'],
          entryIds: ['le_ch_1', 'le_credit'],
          intentIds: [],
          idempotencyKeys: [],
        },
      },
    ]);
  });

  it('reports nothing of the kind for a known eSIM', () => {
    const report = audit(
      history({
        ledger: [authorized('ch_1', 'tu_1'), credited('le_credit', 'tu_1')],
        charges: [topupCharge('ch_1', 'tu_1')],
      }),
    );
    expect(report).toMatchObject({ ok: true, violations: [] });
    expect(report.counts.unknown_esim).toBe(0);
  });
});
