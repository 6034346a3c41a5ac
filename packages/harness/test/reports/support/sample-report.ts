import type { RunReport, ScenarioResult, TimelinePoint } from '../../../src/reports/run-report.ts';

/** A name that would run script or inject markup if any report forgot to escape it. */
export const hostileName = `<script>alert(1)</script> "quoted" & 'single' <img src=x onerror=alert(2)>`;

const GB = 1e9;

/** Samples of one eSIM: 1 GB used, then a 5 GB top-up captured for $10. */
export function sampleTimeline(esim: string): TimelinePoint[] {
  return [
    {
      atMs: 120,
      clock: '2026-03-07T15:00:00.000Z',
      esim,
      dataRemainingBytes: 10 * GB,
      capturedMinor: 4500,
      charges: 1,
    },
    {
      atMs: 900,
      clock: '2026-03-07T15:00:01.000Z',
      esim,
      dataRemainingBytes: 9 * GB,
      capturedMinor: 4500,
      charges: 1,
    },
    {
      atMs: 2400,
      clock: '2026-03-08T15:00:02.000Z',
      esim,
      dataRemainingBytes: 14 * GB,
      capturedMinor: 5500,
      charges: 2,
    },
    {
      atMs: 3100,
      clock: '2026-03-08T15:00:03.000Z',
      esim,
      dataRemainingBytes: 14 * GB,
      capturedMinor: 5500,
      charges: 2,
    },
  ];
}

export function passedScenario(overrides: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    name: 'att top-up survives a lost response',
    file: 'scenarios/att/lost-response.yaml',
    carrier: 'att',
    apiStyle: 'idempotent',
    seed: 1234,
    status: 'passed',
    durationMs: 3210,
    steps: [
      {
        index: 0,
        kind: 'esim',
        line: 5,
        summary: 'esim alice att-unlimited-starter → 8901…',
        status: 'passed',
        durationMs: 40,
      },
      {
        index: 1,
        kind: 'topup',
        line: 8,
        summary: 'topup t1 att-boost-5gb (idempotent) → ok after 2 attempts',
        status: 'passed',
        durationMs: 2300,
      },
    ],
    faults: [
      { ruleId: 'f1', kind: 'reset-after-commit', hits: 1, match: 'POST /v1/esims/*/topups' },
    ],
    intents: [
      {
        intentId: 'int_1',
        name: 't1',
        iccid: '8901260000000000017',
        planId: 'att-boost-5gb',
        strategy: 'idempotent',
        outcome: 'ok',
        attempts: [
          {
            atMs: 300,
            durationMs: 150,
            request: 'POST /v1/esims/8901260000000000017/topups Idempotency-Key: k1',
            result: 'connection reset',
          },
          {
            atMs: 700,
            durationMs: 80,
            request: 'POST /v1/esims/8901260000000000017/topups Idempotency-Key: k1',
            result: '201 succeeded (replayed)',
          },
        ],
      },
    ],
    checker: { ok: true, expected: 'clean', reported: [] },
    timeline: sampleTimeline('alice'),
    replay:
      "esimlab run scenarios/att/lost-response.yaml --seed 42 --only 'att top-up survives a lost response'",
    ...overrides,
  };
}

export function failedScenario(overrides: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    name: hostileName,
    file: 'scenarios/tmobile/blind-retry.yaml',
    carrier: 'tmobile',
    apiStyle: 'reference',
    seed: 99,
    status: 'failed',
    durationMs: 5400,
    failure: {
      message: 'topup t1: expected outcome ok, got unknown after 3 attempts',
      stepIndex: 1,
      line: 14,
    },
    steps: [
      {
        index: 0,
        kind: 'esim',
        line: 6,
        summary: 'esim bob tmobile-essentials → 8901…',
        status: 'passed',
        durationMs: 35,
      },
      {
        index: 1,
        kind: 'topup',
        line: 14,
        summary: 'topup t1 tmobile-boost-5gb (mutant:reference-blind-retry) → unknown',
        status: 'failed',
        durationMs: 5100,
        detail:
          'expected outcome ok, got unknown after 3 attempts\nlast error: 503 network_unreachable <html>',
      },
      {
        index: 2,
        kind: 'expect',
        line: 20,
        summary: 'expect charges',
        status: 'not-run',
        durationMs: 0,
      },
    ],
    faults: [{ ruleId: 'slow', kind: 'latency', hits: 3 }],
    intents: [
      {
        intentId: 'int_2',
        name: 't1',
        iccid: '8901260000000000025',
        planId: 'tmobile-boost-5gb',
        strategy: 'mutant:reference-blind-retry',
        outcome: 'unknown',
        attempts: [
          {
            atMs: 100,
            durationMs: 2000,
            request: 'POST /v1/esims/8901260000000000025/topups',
            result: 'timeout after 2000 ms',
          },
        ],
        resolution: 'captured once, credited',
      },
    ],
    checker: {
      ok: false,
      expected: 'clean',
      reported: [
        {
          kind: 'duplicate_charge',
          message: 'intent t1 was charged twice: ch_1, ch_2 <b>',
          intentIds: ['int_2'],
        },
      ],
    },
    timeline: [sampleTimeline('bob')[0] as TimelinePoint],
    replay: `esimlab run scenarios/tmobile/blind-retry.yaml --seed 42 --only '<script>alert(1)</script>'`,
    ...overrides,
  };
}

export function sampleReport(
  scenarios: ScenarioResult[] = [passedScenario(), failedScenario()],
): RunReport {
  const failed = scenarios.filter((s) => s.status === 'failed').length;
  return {
    version: 1,
    startedAt: '2026-03-07T15:00:00.000Z',
    durationMs: 12_345,
    seed: 42,
    target: { kind: 'local', workers: 2 },
    command: 'esimlab run scenarios/ --seed 42',
    scenarios,
    summary: { total: scenarios.length, passed: scenarios.length - failed, failed },
  };
}
