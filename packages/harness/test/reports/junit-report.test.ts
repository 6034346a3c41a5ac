import { describe, expect, it } from 'vitest';
import { toJUnitXml } from '../../src/reports/junit-report.ts';
import {
  failedScenario,
  hostileName,
  passedScenario,
  sampleReport,
} from './support/sample-report.ts';
import { findAll, parseXml } from './support/xml-parse.ts';

describe('toJUnitXml', () => {
  it('writes one testsuite per carrier and one testcase per scenario, with counts and times', () => {
    const xml = toJUnitXml(
      sampleReport([
        passedScenario(),
        failedScenario(),
        passedScenario({
          name: 'att renewal',
          file: 'scenarios/att/renewal.yaml',
          durationMs: 1000,
        }),
      ]),
    );
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({
      tests: '3',
      failures: '1',
      errors: '0',
      time: '12.345',
    });
    const suites = findAll(root, 'testsuite');
    expect(
      suites.map((s) => [
        s.attributes.name,
        s.attributes.tests,
        s.attributes.failures,
        s.attributes.time,
      ]),
    ).toEqual([
      ['att', '2', '0', '4.210'],
      ['tmobile', '1', '1', '5.400'],
    ]);
    const cases = findAll(root, 'testcase');
    expect(cases.map((c) => [c.attributes.classname, c.attributes.time])).toEqual([
      ['scenarios/att/lost-response.yaml', '3.210'],
      ['scenarios/att/renewal.yaml', '1.000'],
      ['scenarios/tmobile/blind-retry.yaml', '5.400'],
    ]);
    const seed = findAll(suites[0] ?? root, 'property').find((p) => p.attributes.name === 'seed');
    expect(seed?.attributes.value).toBe('42');
  });

  it('describes a failure: where, why, the violations and the replay command', () => {
    const root = parseXml(toJUnitXml(sampleReport([failedScenario()])));
    const [failure] = findAll(root, 'failure');
    expect(failure?.attributes.message).toBe(
      'topup t1: expected outcome ok, got unknown after 3 attempts',
    );
    expect(failure?.attributes.type).toBe('step_failed');
    expect(failure?.text).toBe(
      [
        'at scenarios/tmobile/blind-retry.yaml:14',
        'topup t1: expected outcome ok, got unknown after 3 attempts',
        'expected outcome ok, got unknown after 3 attempts\nlast error: 503 network_unreachable <html>',
        'checker: unexpected verdict (expected clean)',
        '  duplicate_charge: intent t1 was charged twice: ch_1, ch_2 <b> [int_2]',
        `replay: ${failedScenario().replay}`,
      ].join('\n'),
    );
  });

  it('names a checker verdict as the failure type when no step failed', () => {
    const failed = failedScenario({
      failure: { message: 'the checker reported duplicate_charge' },
    });
    const [failure] = findAll(parseXml(toJUnitXml(sampleReport([failed]))), 'failure');
    expect(failure?.attributes.type).toBe('checker_verdict');
  });

  it('lists the steps and the faults that fired in system-out', () => {
    const [out] = findAll(parseXml(toJUnitXml(sampleReport([passedScenario()]))), 'system-out');
    expect(out?.text.split('\n')).toEqual([
      'att · idempotent · seed 1234 · scenarios/att/lost-response.yaml',
      '✓ 1. line 5 esim alice att-unlimited-starter → 8901… (40 ms)',
      '✓ 2. line 8 topup t1 att-boost-5gb (idempotent) → ok after 2 attempts (2.3 s)',
      'faults fired:',
      '  f1 reset-after-commit ×1',
      `replay: ${passedScenario().replay}`,
    ]);
  });

  it('escapes markup, quotes and ampersands so hostile names survive as text', () => {
    const xml = toJUnitXml(sampleReport([failedScenario({ name: hostileName })]));
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('<img');
    const [testcase] = findAll(parseXml(xml), 'testcase');
    expect(testcase?.attributes.name).toBe(hostileName);
  });

  it('keeps the file valid when text holds control characters, and shows them', () => {
    const nasty = 'bell\u0007 null\u0000 esc\u001b tab\t newline\n lone\ud800 end';
    const xml = toJUnitXml(
      sampleReport([
        failedScenario({ name: nasty, failure: { message: nasty, stepIndex: 1, line: 14 } }),
      ]),
    );
    const root = parseXml(xml);
    const [testcase] = findAll(root, 'testcase');
    expect(testcase?.attributes.name).toBe(
      'bell\\u0007 null\\u0000 esc\\u001b tab\t newline\n lone\\ud800 end',
    );
    expect(findAll(root, 'failure')[0]?.text).toContain('bell\\u0007 null\\u0000');
  });

  it('writes an empty but valid document for a run without scenarios', () => {
    const root = parseXml(toJUnitXml(sampleReport([])));
    expect(root.attributes.tests).toBe('0');
    expect(root.children).toEqual([]);
  });
});
