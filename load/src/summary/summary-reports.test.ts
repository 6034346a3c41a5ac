import { describe, expect, it } from 'vitest';
import { junitReport } from './junit-report.ts';
import type { SummaryData } from './summary-data.ts';
import { summaryFiles } from './summary-files.ts';
import { formatMs, textSummary } from './text-summary.ts';

const data: SummaryData = {
  metrics: {
    duplicate_charges: {
      type: 'counter',
      contains: 'default',
      values: { count: 2, rate: 0.1 },
      thresholds: { 'count==0': { ok: false } },
    },
    http_req_failed: {
      type: 'rate',
      contains: 'default',
      values: { rate: 0.2, passes: 2, fails: 8 },
      thresholds: { 'rate<0.01': { ok: false, enforced: false } },
    },
    http_req_duration: {
      type: 'trend',
      contains: 'time',
      values: { avg: 12.5, min: 0.25, med: 10, max: 1500, 'p(99)': 1400 },
    },
    'recharge_duration{api_style:async}': {
      type: 'trend',
      contains: 'time',
      values: { count: 0, 'p(99)': 0 },
      thresholds: { 'p(99)<4000': { ok: true } },
    },
    iterations: { type: 'counter', contains: 'default', values: { count: 20, rate: 1 } },
  },
  state: { testRunDurationMs: 20_000 },
  options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(99)'] },
};

describe('textSummary', () => {
  it('lists each threshold with its value, marking crossed and not enforced ones', () => {
    const text = textSummary(data);
    expect(text).toContain("✗ 'count==0' count=2");
    expect(text).toContain("✗ 'rate<0.01' rate=20.00% (reported, not enforced)");
    expect(text).toContain("✓ 'p(99)<4000' (no samples)");
    expect(text).toContain('✗ ran 20s; 1 enforced threshold crossed');
  });

  it('prints no count column when the trend statistics ask k6 for the count', () => {
    const text = textSummary({
      ...data,
      metrics: {
        ...data.metrics,
        http_req_duration: {
          type: 'trend',
          contains: 'time',
          values: { avg: 12.5, 'p(99)': 1400, count: 10 },
        },
      },
      options: { summaryTrendStats: ['avg', 'p(99)', 'count'] },
    });
    expect(text).toMatch(/http_req_duration\.+: avg=12\.5ms\s+p\(99\)=1\.4s\n/);
  });

  it('groups metrics as k6 does and prints times as durations', () => {
    const text = textSummary(data);
    expect(text.indexOf('CUSTOM')).toBeLessThan(text.indexOf('HTTP'));
    expect(text.indexOf('HTTP')).toBeLessThan(text.indexOf('EXECUTION'));
    expect(text).toMatch(/http_req_duration\.+: avg=12\.5ms\s+min=250µs\s+med=10ms\s+max=1\.5s/);
    expect(text).toMatch(/http_req_failed\.+: 20\.00%\s+2 out of 10/);
  });
});

describe('junitReport', () => {
  it('fails an enforced threshold, skips a crossed budget and passes the rest', () => {
    const xml = junitReport(data, 'esimlab load <flaky>');
    expect(xml).toContain(
      '<testsuite name="esimlab load &lt;flaky&gt;" tests="3" failures="1" skipped="1"',
    );
    expect(xml).toMatch(
      /<testcase classname="duplicate_charges" name="duplicate_charges count==0">\s*<failure message="duplicate_charges crossed &apos;count==0&apos; \(count=2\)"/,
    );
    expect(xml).toMatch(/name="http_req_failed rate&lt;0.01">\s*<skipped message=/);
    expect(xml).toContain(
      '<testcase classname="recharge_duration{api_style:async}" name="recharge_duration{api_style:async} p(99)&lt;4000"></testcase>',
    );
  });
});

describe('a run that failed besides its thresholds', () => {
  const stopped: SummaryData = {
    ...data,
    state: {
      ...data.state,
      problems: ['stopped early, after 2s of the 1m0s planned; 3 iterations interrupted'],
    },
  };

  it('says so in the summary, whatever the thresholds', () => {
    const text = textSummary(stopped);
    expect(text).toContain(
      '✗ stopped early, after 2s of the 1m0s planned; 3 iterations interrupted',
    );
    expect(text).toContain('but the run does not count as a pass');
  });

  it('fails a test case of its own in JUnit', () => {
    const xml = junitReport(stopped, 'suite');
    expect(xml).toContain('tests="4" failures="2" skipped="1"');
    expect(xml).toMatch(
      /<testcase classname="run" name="the run">\s*<failure message="stopped early, after 2s/,
    );
  });
});

describe('formatMs', () => {
  it('prints durations as k6 does, rounding to whole seconds past a minute', () => {
    expect(formatMs(0.5)).toBe('500µs');
    expect(formatMs(12.345)).toBe('12.35ms');
    expect(formatMs(1520)).toBe('1.52s');
    expect(formatMs(59_999)).toBe('1m0s');
    expect(formatMs(119_700)).toBe('2m0s');
    expect(formatMs(3_599_700)).toBe('1h0m0s');
    expect(formatMs(5_400_000)).toBe('1h30m0s');
  });
});

describe('summaryFiles', () => {
  it('names the same two files for both engines', () => {
    expect(Object.keys(summaryFiles(data, 'reports/', 'suite'))).toEqual([
      'reports/load-summary.json',
      'reports/load-junit.xml',
    ]);
    expect(JSON.parse(summaryFiles(data, '.', 's')['./load-summary.json'] ?? '')).toEqual(data);
  });

  it('leaves out what else k6 hands handleSummary, such as setup() data with the admin token', () => {
    const fromK6 = { ...data, setup_data: { apiKey: 'sk_live_x', adminToken: 'secret-token' } };
    const json = summaryFiles(fromK6, '.', 's')['./load-summary.json'] ?? '';
    expect(json).not.toContain('secret-token');
    expect(json).not.toContain('sk_live_x');
    expect(JSON.parse(json)).toEqual(data);
  });
});
