import type { RandomSource } from '@esimlab/domain';
import type { FaultParams } from '../../rules/fault-rule.ts';

/**
 * One delay drawn for a `latency` rule, in whole milliseconds: fixed, uniform in [min, max],
 * or lognormal around `median` (Box-Muller), capped, since real mobile latency has a long tail.
 */
export function sampleLatencyMs(params: FaultParams['latency'], random: RandomSource): number {
  if ('ms' in params) return params.ms;
  if ('min' in params) return Math.round(params.min + random.next() * (params.max - params.min));
  // 1 - next() is in (0, 1]: the logarithm stays finite.
  const u1 = 1 - random.next();
  const u2 = random.next();
  const standardNormal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.min(params.cap, Math.round(params.median * Math.exp(params.sigma * standardNormal)));
}
