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
    expect(left.ok === false && left.message).toContain('add recharge-fixed-1000 to --only');
    for (const bad of ['0', '2.5', 'fast', '']) {
      const refused = parse(['--fixed-rate', bad]);
      expect(refused.ok === false && refused.message).toContain('--fixed-rate takes');
    }
  });

  it('profiles at saturation with --profile, and at the fixed rate with --profile-at fixed-rate', () => {
    const none = parse([]);
    expect(none.ok === true && none.settings.profile).toBeUndefined();
    const saturation = parse(['--only', 'express-echo', '--profile']);
    expect(saturation.ok === true && saturation.settings.profile).toBe('saturation');
    // --profile-at alone profiles; its rate may be set even where --only leaves the fixed-rate
    // benchmark out, since the profile uses it.
    const fixed = parse([
      '--only',
      'express-echo',
      '--profile-at',
      'fixed-rate',
      '--fixed-rate',
      '600',
    ]);
    expect(fixed.ok === true && fixed.settings).toMatchObject({
      profile: 'fixed-rate',
      fixedRate: 600,
    });
    const both = parse(['--profile-at', 'fixed-rate', '--profile']);
    expect(both.ok === true && both.settings.profile).toBe('fixed-rate');
    // A rate nothing in the run would use is refused, whatever profile it has.
    for (const unused of [
      ['--only', 'express-echo', '--profile', '--fixed-rate', '600'],
      [
        '--only',
        'express-echo',
        '--profile-at',
        'fixed-rate',
        '--profile-at',
        'saturation',
        '--fixed-rate',
        '600',
      ],
    ]) {
      const refused = parse(unused);
      expect(refused.ok === false && refused.message).toContain('--profile-at fixed-rate');
    }
    for (const bad of ['', 'fixed', 'SATURATION']) {
      const refused = parse(['--profile-at', bad]);
      expect(refused.ok === false && refused.message).toBe(
        `--profile-at takes saturation or fixed-rate; got ${JSON.stringify(bad)}`,
      );
    }
  });

  it('refuses an unknown option rather than ignore it', () => {
    expect(parse(['--fast']).ok).toBe(false);
    expect(parse(['--rounds', '0']).ok).toBe(false);
  });
});
