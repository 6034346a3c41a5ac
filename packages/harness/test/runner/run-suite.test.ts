import { describe, expect, it } from 'vitest';
import { fixedCarrierPool } from '../../src/runner/carrier-pool.ts';
import { runSuite } from '../../src/runner/run-suite.ts';
import { parseScenario } from '../../src/scenarios/load-scenario.ts';

const loaded = (() => {
  const parsed = parseScenario(
    `name: one boost on tmobile
carrier: tmobile
steps:
  - esim: { as: bob, plan: tmobile-prepaid-10gb }
`,
    'scenarios/one.yaml',
  );
  if (!parsed.ok) throw new Error(parsed.error.map((e) => e.message).join('\n'));
  return parsed.value;
})();

describe('runSuite', () => {
  it('fails a scenario whose carrier the pool lacks, naming the fix, and goes on', async () => {
    const ended: string[] = [];
    const report = await runSuite({
      scenarios: [loaded],
      pool: fixedCarrierPool({ att: 'http://127.0.0.1:9' }),
      runSeed: 1,
      target: { kind: 'remote', urls: { att: 'http://127.0.0.1:9' } },
      command: 'test',
      replayCommand: () => 'replay',
      onScenarioEnd: (result, progress) =>
        ended.push(`${result.status} ${progress.done}/${progress.total}`),
    });
    expect(report.summary).toEqual({ total: 1, passed: 0, failed: 1 });
    expect(report.scenarios[0]?.failure?.message).toBe(
      'no tmobile carrier to run on: no tmobile carrier among the targets (att); add --target tmobile=http://host:port',
    );
    expect(ended).toEqual(['failed 1/1']);
  });
});
