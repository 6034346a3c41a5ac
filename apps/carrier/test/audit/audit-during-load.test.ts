import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@esimlab/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carrierMigrations } from '../../src/index.ts';
import { waitFor } from '../launcher/launcher-support.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  activatedEsim,
  addon,
  type LooseJson,
  sim,
  topup,
  topupCharges,
} from '../topups/topup-fixtures.ts';

// On SQLite, transactions of concurrent requests commit together. An `idempotent` purchase
// commits its saga at once; an `async` one completes step by step when it falls due, so an
// audit that arrives mid-load can run between its credit and its capture: credited, not
// captured, which is no violation.
let root: string;
const carriers = new Map<string, TestCarrier>();
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'esimlab-audit-load-'));
  for (const name of ['att', 'verizon'] as const) {
    const store = await openSqliteStore({
      file: join(root, `${name}.sqlite`),
      migrations: carrierMigrations,
    });
    carriers.set(name, await startTestCarrier({ carrier: name, store }));
  }
  // verizon completes its top-ups 5 ms after accepting them, while the others still arrive.
  const config = await sim(carriers.get('verizon') as TestCarrier, '/_sim/config', {
    method: 'PATCH',
    json: { asyncCompletionMs: 5 },
  });
  expect(config.status).toBe(200);
});
afterAll(async () => {
  for (const carrier of carriers.values()) await carrier.close();
  rmSync(root, { recursive: true, force: true });
});

describe('an audit during load', () => {
  it.each([
    ['att', 201],
    ['verizon', 202],
  ] as const)(
    'does not report purchases still in their saga as credits without a charge (%s)',
    async (name, status) => {
      const t = carriers.get(name) as TestCarrier;
      const { esim } = await activatedEsim(t);
      const boost = await addon(t, 'boost');
      const audits: Promise<LooseJson>[] = [];
      const purchases = Array.from({ length: 60 }, async (_, i) => {
        const res = await topup(
          t,
          esim.iccid,
          { planId: boost.id, paymentMethod: 'pm_card_visa' },
          `load-${i}`,
        );
        expect(res.status).toBe(status);
        // Ask for an audit while the other purchases are under way.
        if (i % 10 === 0) audits.push(t.api('/_sim/audit').then(json));
      });
      audits.push(t.api('/_sim/audit').then(json));
      await Promise.all(purchases);
      // The async completions still running.
      await waitFor('every top-up to be captured or voided', async () =>
        (await topupCharges(t, esim.iccid)).some((c) => c.status === 'authorized')
          ? undefined
          : true,
      );
      audits.push(t.api('/_sim/audit').then(json));
      const reports = await Promise.all(audits);
      expect(reports).toHaveLength(8);
      for (const report of reports)
        expect(report.violations, JSON.stringify(report.violations)).toEqual([]);
      expect((await topupCharges(t, esim.iccid)).map((c) => c.status)).toEqual(
        Array.from({ length: 60 }, () => 'captured'),
      );
    },
  );
});
