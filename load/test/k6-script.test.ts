// load/recharge.ts loaded in Node with stand-ins for k6's modules (see vitest.config.ts):
// its options must be the very scenario and thresholds the Node driver runs, and its
// lifecycle must drive a real carrier through the shared flow.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type Enforcement,
  type LoadScenarioName,
  loadScenarioNames,
  planRechargeLoad,
  type RechargeRun,
  type SummaryData,
} from '../src/index.ts';
import { k6StandInState } from './support/k6-stand-ins/state.ts';
import { type LocalCarriers, startLocalCarriers } from './support/local-carriers.ts';

interface K6Script {
  readonly options: {
    scenarios: Record<string, unknown>;
    thresholds: Record<string, string[]>;
    summaryTrendStats: string[];
  };
  setup(): Promise<RechargeRun>;
  default(run: RechargeRun): Promise<void>;
  teardown(run: RechargeRun): Promise<void>;
  handleSummary(data: SummaryData): Record<string, string>;
}

// A path in a variable: type-checking follows it only under load/k6/tsconfig.json (k6's types).
const scriptPath = '../recharge.ts';

/** Evaluates the script afresh with `env` as k6's `__ENV`, as `k6 run -e …` would. */
async function loadScript(env: Record<string, string>): Promise<K6Script> {
  vi.resetModules();
  (globalThis as { __ENV?: Record<string, string> }).__ENV = env;
  return (await import(/* @vite-ignore */ scriptPath)) as K6Script;
}

describe('the k6 script’s options', () => {
  const cases: [LoadScenarioName, Enforcement, Record<string, string>][] = [
    ...loadScenarioNames.map((name): [LoadScenarioName, Enforcement, Record<string, string>] => [
      name,
      'all',
      {},
    ]),
    ['flaky', 'correctness', { RATE: '10', DURATION: '8s' }],
    ['spike', 'all', { RATE: '3', DURATION: '2m', VUS: '40' }],
  ];

  it.each(cases)(
    'are the Node driver’s for %s (%s thresholds, %o)',
    async (scenario, enforcement, extra) => {
      const script = await loadScript({
        BASE_URL: 'http://127.0.0.1:4101',
        SCENARIO: scenario,
        ENFORCE: enforcement,
        ...extra,
      });
      const settings = {
        ...(extra.RATE === undefined ? {} : { rate: Number(extra.RATE) }),
        ...(extra.DURATION === undefined
          ? {}
          : { durationMs: extra.DURATION === '8s' ? 8000 : 120_000 }),
        ...(extra.VUS === undefined ? {} : { vus: Number(extra.VUS) }),
      };
      const driver = planRechargeLoad({ scenario, settings, enforcement });

      expect(script.options.scenarios).toEqual({ [scenario]: driver.plan.executor });
      // The enforced thresholds as they are; the others as watches that always hold, which
      // handleSummary replaces with the budgets, reported (below).
      const expected: Record<string, string[]> = {};
      for (const t of driver.thresholds) {
        const expression = t.enforced ? t.expression : `${t.expression.split(/[<>=!]/)[0]}>=0`;
        expected[t.metric] = [...(expected[t.metric] ?? []), expression];
      }
      expect(script.options.thresholds).toEqual(expected);
      expect(script.options.summaryTrendStats).toContain('p(99)');
    },
  );

  it('reports the budgets it does not enforce in its summary and JUnit', async () => {
    const script = await loadScript({
      BASE_URL: 'http://127.0.0.1:4101',
      ENFORCE: 'correctness',
      OUT_DIR: 'out',
    });
    // What k6 hands handleSummary: every threshold of the options held, the watches too.
    const metrics: SummaryData['metrics'] = Object.fromEntries(
      Object.entries(script.options.thresholds).map(([metric, expressions]) => [
        metric,
        metric.startsWith('recharge_duration')
          ? {
              type: 'trend' as const,
              contains: 'time' as const,
              values: { count: 5, 'p(99)': metric.includes('idempotent') ? 1800 : 0 },
              thresholds: Object.fromEntries(expressions.map((e) => [e, { ok: true }])),
            }
          : {
              type:
                metric.endsWith('_failed') || metric === 'topup_unknown'
                  ? ('rate' as const)
                  : ('counter' as const),
              contains: 'default' as const,
              values: { count: 0, rate: 0 },
              thresholds: Object.fromEntries(expressions.map((e) => [e, { ok: true }])),
            },
      ]),
    );
    const outputs = script.handleSummary({ metrics, state: { testRunDurationMs: 30_000 } });
    expect(outputs.stdout).toContain("✗ 'p(99)<1000' p(99)=1.8s (reported, not enforced)");
    expect(outputs.stdout).toContain('every enforced threshold held');
    expect(outputs.stdout).not.toContain('>=0');
    expect(outputs['out/load-junit.xml']).toContain('failures="0" skipped="1"');
  });

  it('refuses to start without BASE_URL, naming the fix', async () => {
    await expect(loadScript({ SCENARIO: 'steady' })).rejects.toThrow(/BASE_URL is required/);
  });
});

describe('the k6 script’s lifecycle against a real carrier', () => {
  let carriers: LocalCarriers<'tmobile'>;
  let outDir: string;
  let script: K6Script;
  let run: RechargeRun;
  const state = k6StandInState();

  beforeAll(async () => {
    carriers = await startLocalCarriers(['tmobile']);
    outDir = await mkdtemp(join(tmpdir(), 'esimlab-k6-'));
    script = await loadScript({
      BASE_URL: carriers.urls.tmobile,
      SCENARIO: 'steady',
      SUBSCRIBERS: '2',
      OUT_DIR: outDir,
    });
    state.added.length = 0;
    state.failures.length = 0;
    run = await script.setup();
    for (let i = 0; i < 4; i++) {
      state.iterationInTest = i;
      await script.default(run);
    }
    await script.teardown(run);
  }, 60_000);

  afterAll(async () => {
    await carriers?.stop();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('sets up a run: seeded subscribers, the carrier’s style, a boost to buy', () => {
    expect(run).toMatchObject({
      scenario: 'steady',
      carrier: 'tmobile',
      apiStyle: 'reference',
      faults: 'none',
    });
    expect(run.iccids).toHaveLength(2);
    expect(run.planId).toMatch(/boost/);
  });

  it('records each iteration in the custom metrics, tagged with the API style', () => {
    const durations = state.added.filter((a) => a.metric === 'recharge_duration');
    expect(durations).toHaveLength(4);
    expect(
      durations.every((d) => d.tags?.api_style === 'reference' && d.tags.outcome === 'ok'),
    ).toBe(true);
    expect(state.added.filter((a) => a.metric === 'topup_unknown').map((a) => a.value)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('ends with the audit: nothing to count and nothing to fail', () => {
    const counted = (metric: string) =>
      state.added.filter((a) => a.metric === metric).map((a) => a.value);
    expect(counted('duplicate_charges')).toEqual([0]);
    expect(counted('lost_topups')).toEqual([0]);
    expect(counted('audit_violations')).toEqual([0]);
    expect(state.failures).toEqual([]);
  });

  it('writes the text summary to stdout and the JSON and JUnit files to OUT_DIR', () => {
    const data: SummaryData = {
      metrics: {
        duplicate_charges: {
          type: 'counter',
          contains: 'default',
          values: { count: 0, rate: 0 },
          thresholds: { 'count==0': { ok: true } },
        },
      },
      state: { testRunDurationMs: 1000 },
    };
    const outputs = script.handleSummary(data);
    expect(Object.keys(outputs).sort()).toEqual(
      [`${outDir}/load-junit.xml`, `${outDir}/load-summary.json`, 'stdout'].sort(),
    );
    expect(outputs.stdout).toContain("✓ 'count==0' count=0");
  });

  it('fails the test from teardown when the audit finds a violation', async () => {
    // Two purchases carrying one clientReference: a duplicate charge in the reference style.
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${carriers.urls.tmobile}/v1/esims/${run.iccids[0]}/topups`, {
        method: 'POST',
        headers: { authorization: `Bearer ${run.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          planId: run.planId,
          paymentMethod: 'pm_card_visa',
          clientReference: 'bought-twice',
        }),
      });
      expect(response.status).toBe(201);
    }
    state.added.length = 0;
    await script.teardown(run);
    expect(state.added).toContainEqual({ metric: 'duplicate_charges', value: 1 });
    expect(state.failures).toHaveLength(1);
    expect(state.failures[0]).toMatch(/duplicate_charge/);
  });
});
