import { describe, expect, it } from 'vitest';
import { formatConsoleSummary, formatScenarioLine } from '../../src/reports/console-report.ts';
import { failedScenario, passedScenario, sampleReport } from './support/sample-report.ts';

describe('formatScenarioLine', () => {
  it('marks a passed scenario with a tick and its duration', () => {
    expect(formatScenarioLine(passedScenario(), false)).toBe(
      '✓ att top-up survives a lost response (3.2 s)',
    );
  });

  it('marks a failed scenario with a cross, in red when colour is on', () => {
    const plain = formatScenarioLine(
      failedScenario({ name: 'blind retry', durationMs: 850 }),
      false,
    );
    expect(plain).toBe('✗ blind retry (850 ms)');
    const coloured = formatScenarioLine(failedScenario({ name: 'blind retry' }), true);
    expect(coloured).toContain('\u001b[31m✗\u001b[39m');
  });
});

describe('formatConsoleSummary', () => {
  it('shows where each failed scenario failed, why, the violations and how to replay it', () => {
    const failed = failedScenario({ name: 'tmobile blind retry buys twice' });
    const text = formatConsoleSummary(sampleReport([passedScenario(), failed]), { color: false });
    expect(text).toBe(
      [
        'Failed scenarios (1)',
        '',
        '✗ tmobile blind retry buys twice',
        '  at scenarios/tmobile/blind-retry.yaml:14 (step 2, topup)',
        '  topup t1: expected outcome ok, got unknown after 3 attempts',
        '  checker: expected clean, reported 1 violation',
        '    duplicate_charge: intent t1 was charged twice: ch_1, ch_2 <b> [int_2]',
        `  replay: ${failed.replay}`,
        '',
        'Scenarios: 1 passed, 1 failed, 2 total (in 12.3 s)',
      ].join('\n'),
    );
  });

  it('prints only the counts when everything passed', () => {
    const text = formatConsoleSummary(sampleReport([passedScenario()]), { color: false });
    expect(text).toBe('Scenarios: 1 passed, 0 failed, 1 total (in 12.3 s)');
  });

  it('points at the file when the failure is not in a step, and leaves out a checker that agreed', () => {
    const failed = failedScenario({
      name: 'timed out',
      failure: {
        message: 'timed out after 60000 ms; raise timeoutMs in the scenario if it needs longer',
      },
      checker: { ok: true, expected: 'clean', reported: [] },
    });
    const text = formatConsoleSummary(sampleReport([failed]), { color: false });
    expect(text).toContain('  at scenarios/tmobile/blind-retry.yaml\n  timed out after 60000 ms');
    expect(text).not.toContain('checker:');
  });

  it('says so when no scenario ran', () => {
    const text = formatConsoleSummary(sampleReport([]), { color: false });
    expect(text).toBe(
      'Scenarios: 0 passed, 0 failed, 0 total (in 12.3 s)\nNo scenario ran; check the paths given to the run.',
    );
  });

  it('uses colour only when asked to', () => {
    const report = sampleReport();
    expect(formatConsoleSummary(report, { color: false })).not.toContain('\u001b[');
    const coloured = formatConsoleSummary(report, { color: true });
    expect(coloured).toContain('\u001b[31m1 failed\u001b[39m');
    expect(coloured).toContain('\u001b[32m1 passed\u001b[39m');
  });
});
