import { type RechargeMetrics, rechargeMetricNames } from '../../flow/recharge-metrics.ts';
import type { MetricRegistry } from './metric-registry.ts';

/** The recharge flow's custom metrics, registered in the driver's registry under k6's names. */
export function registerRechargeMetrics(metrics: MetricRegistry): RechargeMetrics {
  const names = rechargeMetricNames;
  return {
    duplicateCharges: metrics.counter(names.duplicateCharges),
    lostTopups: metrics.counter(names.lostTopups),
    auditViolations: metrics.counter(names.auditViolations),
    topupUnknown: metrics.rate(names.topupUnknown),
    rechargeDuration: metrics.trend(names.rechargeDuration, true),
    topupRetries: metrics.counter(names.topupRetries),
  };
}
