import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charges, ledger } from '../../src/persistence/collections.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { activatedEsim, addon, topup } from '../topups/topup-fixtures.ts';

// ICCIDs no eSIM of this carrier has: only a bug could write history under them.
const NO_SUCH_ESIM = ['8901260000000000001', '8901260000000000002', '8901260000000000003'] as const;

let att: TestCarrier;
let topupId: string;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
  const { iccid } = (await activatedEsim(att)).esim;
  const boost = await addon(att, 'boost');
  const res = await topup(att, iccid, { planId: boost.id, paymentMethod: 'pm_card_visa' }, 'k1');
  if (res.status !== 201) throw new Error(`top-up: ${res.status} ${await res.text()}`);
  topupId = (await json(res)).id;
});
afterAll(() => att.close());

const audit = async () => json(await att.api('/_sim/audit'));

describe('GET /_sim/audit and rows naming no eSIM', () => {
  it('finds nothing wrong while every row names an eSIM', async () => {
    expect(await audit()).toMatchObject({ ok: true, violations: [] });
  });

  it('audits a charge and a credit written under eSIMs the carrier does not have', async () => {
    const stray = await att.store.transaction(async (tx) => {
      const [charge] = await tx
        .find(charges, { status: 'captured' })
        .then((found) => found.filter((c) => c.purpose.kind === 'topup'));
      const credit = (await tx.find(ledger, {})).find(
        (r) => r.entry.type === 'data_credited' && r.entry.source.ref === topupId,
      );
      if (charge === undefined || credit === undefined) throw new Error('no top-up to copy');
      // The same purchase captured again under one stray eSIM, with nothing credited there…
      await tx.insert(charges, { ...charge, id: `${charge.id}_stray`, iccid: NO_SUCH_ESIM[0] });
      // …and credited again under another, with nothing captured for it there.
      await tx.insert(ledger, {
        ...credit,
        id: `${credit.id}_stray`,
        iccid: NO_SUCH_ESIM[1],
        seq: credit.seq + 1_000_000,
        entry: { ...credit.entry, id: `${credit.entry.id}_stray`, iccid: NO_SUCH_ESIM[1] },
      });
      return { chargeId: `${charge.id}_stray`, entryId: `${credit.entry.id}_stray` };
    });

    const report = await audit();
    expect(report.ok).toBe(false);
    expect(report.violations).toEqual([
      expect.objectContaining({
        kind: 'lost_topup',
        evidence: expect.objectContaining({ chargeIds: [stray.chargeId] }),
      }),
      expect.objectContaining({
        kind: 'credit_without_charge',
        evidence: expect.objectContaining({ entryIds: [stray.entryId] }),
      }),
      expect.objectContaining({
        kind: 'unknown_esim',
        iccid: NO_SUCH_ESIM[1],
        message: `1 ledger entry names eSIM ${NO_SUCH_ESIM[1]}, which the carrier does not have`,
        evidence: expect.objectContaining({ chargeIds: [], entryIds: [stray.entryId] }),
      }),
      expect.objectContaining({
        kind: 'unknown_esim',
        iccid: NO_SUCH_ESIM[0],
        evidence: expect.objectContaining({ chargeIds: [stray.chargeId], entryIds: [] }),
      }),
    ]);
  });

  it('reads strays past the first page', async () => {
    // More stray credits than one page of the audit's reads holds (1,000).
    const ids = await att.store.transaction(async (tx) => {
      const credit = (await tx.find(ledger, {})).find(
        (r) => r.entry.type === 'data_credited' && r.entry.source.ref === topupId,
      );
      if (credit === undefined) throw new Error('no credit to copy');
      const made: string[] = [];
      for (let i = 0; i < 1_200; i++) {
        const id = `${credit.entry.id}_page_${String(i).padStart(4, '0')}`;
        await tx.insert(ledger, {
          ...credit,
          id: `${credit.id}_page_${i}`,
          iccid: NO_SUCH_ESIM[2],
          seq: credit.seq + 2_000_000 + i,
          entry: { ...credit.entry, id, iccid: NO_SUCH_ESIM[2] },
        });
        made.push(id);
      }
      return made;
    });

    const report = await audit();
    const flagged = (kind: string) =>
      new Set(
        report.violations
          .filter((v: { kind: string }) => v.kind === kind)
          .flatMap((v: { evidence: { entryIds: string[] } }) => v.evidence.entryIds),
      );
    const unknown = flagged('unknown_esim');
    const unpaid = flagged('credit_without_charge');
    expect(ids.filter((id) => !unknown.has(id) || !unpaid.has(id))).toEqual([]);
  });

  it('reports a purchase written whole under an eSIM it does not have, though it balances', async () => {
    const iccid = '8901260000000000004';
    const moved = await att.store.transaction(async (tx) => {
      const charge = (await tx.find(charges, { status: 'captured' })).find(
        (c) => c.purpose.kind === 'topup',
      );
      const rows = (await tx.find(ledger, {})).filter(
        (r) =>
          (r.entry.type === 'data_credited' && r.entry.source.ref === topupId) ||
          (r.entry.type !== 'data_credited' &&
            'chargeId' in r.entry &&
            r.entry.chargeId === charge?.id),
      );
      if (charge === undefined || rows.length === 0) throw new Error('no purchase to move');
      // A copy of the purchase, charge, authorization, capture and credit, all under `iccid`.
      await tx.insert(charges, { ...charge, id: `${charge.id}_moved`, iccid });
      let seq = 3_000_000;
      for (const row of rows) {
        const entry = { ...row.entry, id: `${row.entry.id}_moved`, iccid };
        await tx.insert(ledger, {
          ...row,
          id: `${row.id}_moved`,
          iccid,
          seq: seq++,
          entry: 'chargeId' in entry ? { ...entry, chargeId: `${charge.id}_moved` } : entry,
        });
      }
      return { chargeId: `${charge.id}_moved` };
    });

    const report = await audit();
    const found = report.violations.filter((v: { iccid?: string }) => v.iccid === iccid);
    expect(found).toEqual([
      expect.objectContaining({
        kind: 'unknown_esim',
        evidence: expect.objectContaining({ chargeIds: [moved.chargeId] }),
      }),
    ]);
  });
});
