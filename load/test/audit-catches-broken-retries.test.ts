import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultArming, type RechargeLoadResult, runRechargeLoad } from '../src/index.ts';
import { freshKeyRetry } from './support/fresh-key-retry.ts';
import { type LocalCarriers, startLocalCarriers } from './support/local-carriers.ts';

// The first three purchases commit, then lose their answer: the duplicate-charge trap.
const lostAnswers: FaultArming = {
  rules: [
    {
      id: 'lost-purchase-answers',
      kind: 'reset-after-commit',
      match: { method: 'POST', path: '/v1/esims/*/topups' },
      times: 3,
      params: {},
    },
  ],
};

let carriers: LocalCarriers<'att'>;
let outDir: string;
let broken: RechargeLoadResult;
let correct: RechargeLoadResult;

beforeAll(async () => {
  carriers = await startLocalCarriers(['att']);
  outDir = await mkdtemp(join(tmpdir(), 'esimlab-load-reports-'));
  const run = (extra: { strategy?: typeof freshKeyRetry; outDir?: string }) =>
    runRechargeLoad({
      baseUrl: carriers.urls.att,
      scenario: 'steady',
      settings: { rate: 10, durationMs: 1000 },
      faults: lostAnswers,
      enforcement: 'correctness',
      subscribers: 3,
      ...extra,
    });
  // One after the other: each run's setup resets the carrier.
  broken = await run({ strategy: freshKeyRetry, outDir });
  correct = await run({});
}, 60_000);

afterAll(async () => {
  await carriers?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('the load check', () => {
  it('fails a client that retries a lost purchase under a fresh key', async () => {
    expect(broken.summary.metrics.duplicate_charges?.values.count).toBe(3);
    // Each lost answer made the broken client buy once more; the audit groups the charges
    // by purchase, so it finds one to three violations depending on which intents were hit.
    expect(broken.audit).toMatchObject({ status: 'audited', ok: false });
    expect(broken.summary.metrics.audit_violations?.values.count).toBeGreaterThanOrEqual(1);
    expect(broken.thresholds.find((t) => t.metric === 'duplicate_charges')).toMatchObject({
      ok: false,
      enforced: true,
      actual: 3,
    });
    expect(broken.passed).toBe(false);
    const junit = await readFile(join(outDir, 'load-junit.xml'), 'utf8');
    expect(junit).toMatch(/name="duplicate_charges count==0">\s*<failure/);
    const summary = JSON.parse(await readFile(join(outDir, 'load-summary.json'), 'utf8'));
    expect(summary.metrics.duplicate_charges.thresholds['count==0']).toEqual({ ok: false });
  });

  it('passes the carrier style’s own strategy under the same lost answers', () => {
    expect(correct.summary.metrics.topup_retries?.values.count).toBe(3);
    expect(correct.summary.metrics.duplicate_charges?.values.count).toBe(0);
    expect(correct.audit).toMatchObject({ status: 'audited', ok: true });
    expect(correct.outcomes).toEqual({ ok: 10, failed: 0, unknown: 0 });
    expect(correct.passed).toBe(true);
  });

  it('leaves the carrier without the faults it armed', async () => {
    const plan = (await (await fetch(`${carriers.urls.att}/_sim/faults`)).json()) as {
      rules: unknown[];
    };
    expect(plan.rules).toEqual([]);
  });
});
