import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@esimlab/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carrierMigrations } from '../../src/index.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { activatedEsim, addon, type LooseJson, topup } from '../topups/topup-fixtures.ts';

// On SQLite, transactions of concurrent requests commit together, so an audit that arrives
// mid-load runs between the steps of purchases still in their saga: credited, not captured.
let root: string;
let att: TestCarrier;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'esimlab-audit-load-'));
  const store = await openSqliteStore({
    file: join(root, 'att.sqlite'),
    migrations: carrierMigrations,
  });
  att = await startTestCarrier({ carrier: 'att', store });
});
afterAll(async () => {
  await att.close();
  rmSync(root, { recursive: true, force: true });
});

describe('an audit during load', () => {
  it('does not report purchases still in their saga as credits without a charge', async () => {
    const { esim } = await activatedEsim(att);
    const boost = await addon(att, 'boost');
    const audits: Promise<LooseJson>[] = [];
    const purchases = Array.from({ length: 60 }, async (_, i) => {
      const res = await topup(
        att,
        esim.iccid,
        { planId: boost.id, paymentMethod: 'pm_card_visa' },
        `load-${i}`,
      );
      expect(res.status).toBe(201);
      // Ask for an audit while the other purchases are under way.
      if (i % 10 === 0) audits.push(att.api('/_sim/audit').then(json));
    });
    audits.push(att.api('/_sim/audit').then(json));
    await Promise.all(purchases);
    const reports = await Promise.all(audits);
    expect(reports).toHaveLength(7);
    for (const report of reports)
      expect(report.violations, JSON.stringify(report.violations)).toEqual([]);
  });
});
