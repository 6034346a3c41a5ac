import {
  type ExecutorConfig,
  type FaultArming,
  formatDuration,
  MetricRegistry,
  type RechargeAudit,
  rechargeIteration,
  rechargeMetricNames,
  registerRechargeMetrics,
  runWorkload,
  setupRecharge,
  teardownRecharge,
} from '../../src/index.ts';
import type { Measurement } from './measurement.ts';

export interface RechargeLoadSpec {
  readonly name: string;
  /** The carrier, or every replica of it: iterations go round-robin across them. */
  readonly baseUrl: string | readonly string[];
  /** A closed loop of this many VUs, or top-ups arriving at a fixed rate. */
  readonly load:
    | { readonly kind: 'saturation'; readonly connections: number }
    | {
        readonly kind: 'fixed-rate';
        readonly rate: number;
        readonly connections: number;
        readonly maxVUs: number;
      };
  /** The scenario's length; a stop signal may end it sooner. */
  readonly durationMs: number;
  readonly subscribers: number;
  /** Top up the eSIMs already on the carrier instead of seeding (which resets it). */
  readonly reuseSeeded?: boolean;
  /**
   * Every iteration sends the run's first intent again, the same key and body: setup buys it,
   * and the carrier answers the rest from the idempotency key. A purchase request as the
   * carrier takes it (authenticated, validated, its key looked up), writing nothing.
   */
  readonly replay?: boolean;
  readonly faults?: FaultArming;
  readonly faultSeed?: number;
  /** Told of every top-up that ended `ok`. */
  readonly onTopup?: () => void;
  readonly stopSignal?: AbortSignal;
  /**
   * Called once setup (the seeding) is done and once the last iteration ended, before the
   * audit: the measured window, for figures taken around it (CPU time).
   */
  readonly onWindowStart?: () => Promise<void> | void;
  readonly onWindowEnd?: () => Promise<void> | void;
}

export interface RechargeMeasurement extends Measurement {
  /** Iterations replayed the first intent (`RechargeLoadSpec.replay`) instead of buying. */
  readonly replay: boolean;
  /** Top-up intents that ended `ok` (answers, for a replay), per second of the window. */
  readonly topupsPerSecond: number;
  readonly outcomes: { readonly ok: number; readonly failed: number; readonly unknown: number };
  readonly dropped: number;
  /** Purchase requests after an intent's first (a lost answer, a 503 conflict, a 429). */
  readonly retries: number;
  readonly audit: RechargeAudit;
}

const TOPUP_REQUEST = 'topup.create';

/**
 * The recharge path under load through the shared flow (the k6 script's setup, iteration and
 * teardown): the carrier is seeded, every iteration buys one boost as one intent with the
 * retries its API style makes safe (or, with `replay`, sends the first one again), and the run
 * ends with the carrier's audit. Latency is that of the purchase requests (`topup.create`),
 * setup's seeding and the audit left out (a replay's one purchase in setup is among them).
 */
export async function runRechargeBench(spec: RechargeLoadSpec): Promise<RechargeMeasurement> {
  const metrics = new MetricRegistry();
  const recharge = registerRechargeMetrics(metrics);
  const purchases = `http_req_duration{name:${TOPUP_REQUEST}}`;
  const duration = formatDuration(spec.durationMs);
  const executor: ExecutorConfig =
    spec.load.kind === 'saturation'
      ? { executor: 'constant-vus', vus: spec.load.connections, duration, gracefulStop: '10s' }
      : {
          executor: 'constant-arrival-rate',
          rate: spec.load.rate,
          timeUnit: '1s',
          duration,
          preAllocatedVUs: spec.load.connections,
          maxVUs: spec.load.maxVUs,
          gracefulStop: '10s',
        };
  const outcomes = { ok: 0, failed: 0, unknown: 0 };
  let audit: RechargeAudit = { status: 'unavailable', reason: 'the run ended before its audit' };
  const result = await runWorkload(
    {
      scenario: spec.name,
      executor,
      // Not a verdict: it makes the driver keep the purchase requests' latency apart.
      thresholds: [{ metric: purchases, expression: 'p(99)<1000000', enforced: false }],
      async setup(runtime) {
        const run = await setupRecharge(runtime, {
          baseUrl: spec.baseUrl,
          scenario: spec.name,
          subscribers: spec.subscribers,
          ...(spec.reuseSeeded ? { reuseSeeded: true } : {}),
          ...(spec.faults === undefined ? {} : { faults: spec.faults }),
          ...(spec.faultSeed === undefined ? {} : { faultSeed: spec.faultSeed }),
        });
        if (spec.replay) {
          // In the other styles a retry is not answered from a key: it would buy or poll.
          if (run.apiStyle !== 'idempotent') {
            throw new Error(
              `${spec.name}: a replay needs a carrier in the idempotent API style, not ${run.apiStyle}`,
            );
          }
          const { outcome } = await rechargeIteration(runtime, run, recharge, 0);
          if (outcome.status !== 'ok') {
            throw new Error(`${spec.name}: the purchase to replay ended ${outcome.status}`);
          }
        }
        await spec.onWindowStart?.();
        return run;
      },
      async iterate(run, { runtime, iterationInTest }) {
        const intent = spec.replay ? 0 : iterationInTest;
        const { outcome } = await rechargeIteration(runtime, run, recharge, intent);
        outcomes[outcome.status] += 1;
        if (outcome.status === 'ok') spec.onTopup?.();
      },
      async teardown(run, runtime) {
        await spec.onWindowEnd?.();
        audit = await teardownRecharge(runtime, run, recharge);
      },
    },
    {
      metrics,
      connections: spec.load.connections,
      ...(spec.stopSignal === undefined ? {} : { stopSignal: spec.stopSignal }),
    },
  );
  if (result.iterationErrors.length > 0) {
    throw new Error(`${spec.name}: ${result.iterationErrors.join('; ')}`);
  }
  const latency = result.metrics.get('http_req_duration')?.submetric({ name: TOPUP_REQUEST });
  const seconds = result.scenarioDurationMs / 1000;
  return {
    name: spec.name,
    rps: result.requestsPerSecond,
    p50Ms: latency?.statistic('p(50)', 0) ?? 0,
    p99Ms: latency?.statistic('p(99)', 0) ?? 0,
    requests: Math.round(result.requestsPerSecond * seconds),
    durationMs: result.scenarioDurationMs,
    replay: spec.replay === true,
    topupsPerSecond: seconds > 0 ? outcomes.ok / seconds : 0,
    outcomes,
    dropped: result.iterations.dropped,
    retries: result.metrics.get(rechargeMetricNames.topupRetries)?.statistic('count', 0) ?? 0,
    audit,
  };
}
