// The CI load check: a short run of the flaky scenario on the recharge path of each
// API style. Only the correctness thresholds fail it; latency budgets are reported, because
// a shared CI machine's speed says little about the carrier's: each run's summary goes to the
// test log, and its load-summary.json and load-junit.xml to reports/ci-load/<carrier>/.
import { fileURLToPath } from 'node:url';
import { carrierIds } from '@esimlab/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RechargeLoadResult, runRechargeLoad, textSummary } from '../src/index.ts';
import { type LocalCarriers, startLocalCarriers } from './support/local-carriers.ts';

const expectedStyle = { att: 'idempotent', tmobile: 'reference', verizon: 'async' } as const;

let carriers: LocalCarriers<(typeof carrierIds)[number]>;
const results = new Map<string, RechargeLoadResult>();

beforeAll(async () => {
  carriers = await startLocalCarriers(carrierIds);
  // The three styles at once: the whole check stays well under a minute.
  await Promise.all(
    carrierIds.map(async (carrier) => {
      const result = await runRechargeLoad({
        baseUrl: carriers.urls[carrier],
        scenario: 'flaky',
        // A reference-style intent that hits a fault waits ~5.5 s before its lookup, so the
        // run is long enough for several of them to finish inside the graceful stop.
        settings: { rate: 10, durationMs: 8000 },
        enforcement: 'correctness',
        // Seeded fault rolls: the same requests fail on every run.
        faultSeed: 20_260_307,
        subscribers: 10,
        outDir: fileURLToPath(new URL(`../reports/ci-load/${carrier}/`, import.meta.url)),
      });
      results.set(carrier, result);
    }),
  );
  for (const carrier of carrierIds) {
    console.log(textSummary(resultOf(carrier).summary, { title: `CI load check: ${carrier}` }));
  }
  // The check's whole budget: runs of 8 s, their graceful stops, setup and the audits.
}, 60_000);

afterAll(async () => {
  await carriers?.stop();
});

const resultOf = (carrier: string): RechargeLoadResult => {
  const result = results.get(carrier);
  if (!result) throw new Error(`no load result for ${carrier}`);
  return result;
};

describe.each(carrierIds)('the recharge path of %s under flaky-mobile', (carrier) => {
  it('runs in its own API style, with faults hitting real requests', () => {
    const result = resultOf(carrier);
    expect(result.data.apiStyle).toBe(expectedStyle[carrier]);
    expect(result.data.faults).toBe('flaky-mobile');
    expect(result.iterations.completed).toBeGreaterThanOrEqual(70);
    expect(result.summary.metrics.http_req_failed?.values.passes).toBeGreaterThan(0);
  });

  it('charges no top-up twice, loses none, and leaves the carrier audit clean', () => {
    const result = resultOf(carrier);
    expect(result.summary.metrics.duplicate_charges?.values.count).toBe(0);
    expect(result.summary.metrics.lost_topups?.values.count).toBe(0);
    expect(result.audit).toMatchObject({ status: 'audited', ok: true, violations: [] });
    expect(result.iterationErrors).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('reports the latency and error budgets without letting them fail the build', () => {
    const result = resultOf(carrier);
    expect(result.files.map((file) => file.slice(file.lastIndexOf('/') + 1)).sort()).toEqual([
      'load-junit.xml',
      'load-summary.json',
    ]);
    const budgets = result.thresholds.filter((t) => !t.enforced);
    expect(budgets.map((t) => t.metric)).toEqual(
      expect.arrayContaining([
        'http_req_failed',
        `recharge_duration{api_style:${expectedStyle[carrier]}}`,
      ]),
    );
    expect(
      result.thresholds
        .filter((t) => t.enforced)
        .map((t) => t.metric)
        .sort(),
    ).toEqual(['audit_violations', 'duplicate_charges', 'lost_topups']);
  });
});
