// Engine-neutral (see flow/load-runtime.ts).
import type { FaultArming } from '../flow/recharge-setup.ts';
import { formatDuration } from './duration.ts';
import type { ExecutorConfig } from './executor-config.ts';
import { rechargeThresholds, type ThresholdRule } from './recharge-thresholds.ts';

export const loadScenarioNames = ['steady', 'spike', 'flaky', 'soak'] as const;
export type LoadScenarioName = (typeof loadScenarioNames)[number];

export const isLoadScenarioName = (value: string): value is LoadScenarioName =>
  (loadScenarioNames as readonly string[]).includes(value);

/** What a user may change about a scenario; the rest follows from its name. */
export interface ScenarioSettings {
  /** Top-ups per second (the base rate; a spike peaks at five times it). */
  readonly rate?: number;
  readonly durationMs?: number;
  /** The most VUs (concurrent iterations) the executor may use. */
  readonly vus?: number;
}

/** A scenario made concrete: how iterations arrive, what faults are armed, what must hold. */
export interface ScenarioPlan {
  readonly name: LoadScenarioName;
  readonly description: string;
  readonly executor: ExecutorConfig;
  readonly faults?: FaultArming;
  readonly thresholds: readonly ThresholdRule[];
}

interface ScenarioDefaults {
  readonly description: string;
  readonly rate: number;
  readonly durationMs: number;
  /** Peak rate over base rate. */
  readonly peakFactor: number;
}

const defaults: Readonly<Record<LoadScenarioName, ScenarioDefaults>> = {
  steady: {
    description: 'a constant arrival rate of top-ups',
    rate: 20,
    durationMs: 30_000,
    peakFactor: 1,
  },
  spike: {
    description: 'the base rate, a jump to five times it, then back',
    rate: 10,
    durationMs: 60_000,
    peakFactor: 5,
  },
  flaky: {
    description: 'steady, over a flaky mobile network (the flaky-mobile fault preset)',
    rate: 20,
    durationMs: 30_000,
    peakFactor: 1,
  },
  soak: {
    description: 'a long constant rate, to find leaks and slow drift',
    rate: 10,
    durationMs: 30 * 60_000,
    peakFactor: 1,
  },
};

/** Room for iterations in flight: in the reference style a lost answer costs a ~5.5 s wait. */
const VUS_PER_PEAK_RATE = 3;
const MIN_VUS = 20;
/** k6's default: how long iterations still running at the end may take to finish. */
const GRACEFUL_STOP = '30s';

/** The plan of scenario `name` with the user's settings applied over its defaults. */
export function planScenario(
  name: LoadScenarioName,
  settings: ScenarioSettings = {},
): ScenarioPlan {
  const base = defaults[name];
  const rate = settings.rate ?? base.rate;
  const durationMs = settings.durationMs ?? base.durationMs;
  const peak = rate * base.peakFactor;
  const maxVUs = settings.vus ?? Math.max(MIN_VUS, Math.ceil(peak * VUS_PER_PEAK_RATE));
  const preAllocatedVUs = Math.min(maxVUs, Math.max(1, Math.ceil(peak)));
  const executor: ExecutorConfig =
    name === 'spike'
      ? {
          executor: 'ramping-arrival-rate',
          startRate: rate,
          timeUnit: '1s',
          stages: spikeStages(rate, peak, durationMs),
          preAllocatedVUs,
          maxVUs,
          gracefulStop: GRACEFUL_STOP,
        }
      : {
          executor: 'constant-arrival-rate',
          rate,
          timeUnit: '1s',
          duration: formatDuration(durationMs),
          preAllocatedVUs,
          maxVUs,
          gracefulStop: GRACEFUL_STOP,
        };
  return {
    name,
    description: base.description,
    executor,
    ...(name === 'flaky' ? { faults: { preset: 'flaky-mobile' } } : {}),
    thresholds: rechargeThresholds(name),
  };
}

/** 20 % at the base rate, 10 % up to the peak, 30 % at it, 10 % down, 30 % at the base rate. */
function spikeStages(rate: number, peak: number, durationMs: number) {
  const shares = [0.2, 0.1, 0.3, 0.1];
  const lengths = shares.map((share) => Math.round(durationMs * share));
  lengths.push(durationMs - lengths.reduce((a, b) => a + b, 0));
  const targets = [rate, peak, peak, rate, rate];
  return lengths.map((ms, i) => ({ duration: formatDuration(ms), target: targets[i] ?? rate }));
}
