import { describe, expect, it } from 'vitest';
import { fixedRateBenchName, parseBenchSettings } from './bench-settings.ts';

const parse = (argv: string[], env: Record<string, string> = {}) =>
  parseBenchSettings(argv, env, '/tmp/reports');

describe('parseBenchSettings', () => {
  it('defaults to the 100,000 top-up memory soak with every benchmark', () => {
    const parsed = parse([]);
    expect(parsed.ok).toBe(true);
    if (parsed.ok !== true) return;
    expect(parsed.settings).toMatchObject({
      connections: 50,
      memoryTopups: 100_000,
      fixedRate: 1000,
      long: false,
      only: undefined,
    });
  });

  it('soaks over 1,000,000 top-ups with --long or ESIMLAB_BENCH_LONG=1', () => {
    for (const parsed of [parse(['--', '--long']), parse([], { ESIMLAB_BENCH_LONG: '1' })]) {
      expect(parsed.ok === true && parsed.settings.memoryTopups).toBe(1_000_000);
    }
  });

  it('names the benchmarks it does not know', () => {
    const parsed = parse(['--only', 'recharge,fast-echo']);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok === false && parsed.message).toContain('fast-echo');
  });

  it('takes the window per benchmark in seconds', () => {
    const parsed = parse(['--only', 'recharge', '--measure', '2.5', '--rounds', '1']);
    expect(parsed.ok === true && parsed.settings).toMatchObject({
      measureMs: 2500,
      rounds: 1,
      only: ['recharge'],
    });
  });

  it('runs the fixed-rate benchmark at another rate with --fixed-rate, and names it by that rate', () => {
    const parsed = parse(['--only', 'recharge-fixed-1000', '--fixed-rate', '250']);
    expect(parsed.ok === true && parsed.settings.fixedRate).toBe(250);
    expect(fixedRateBenchName(250)).toBe('recharge-fixed-250');
    expect(fixedRateBenchName(1000)).toBe('recharge-fixed-1000');
    const left = parse(['--only', 'recharge', '--fixed-rate', '250']);
    expect(left.ok === false && left.message).toContain('which --only leaves out');
    for (const bad of ['0', '2.5', 'fast', '']) {
      const refused = parse(['--fixed-rate', bad]);
      expect(refused.ok === false && refused.message).toContain('--fixed-rate takes');
    }
  });

  it('refuses an unknown option rather than ignore it', () => {
    expect(parse(['--fast']).ok).toBe(false);
    expect(parse(['--rounds', '0']).ok).toBe(false);
  });
});
