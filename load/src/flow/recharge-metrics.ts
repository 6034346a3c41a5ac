/** The custom metrics of the recharge flow, by their names in k6 and in the Node driver. */
export const rechargeMetricNames = {
  /** Counter: charges captured beyond the first for one purchase, from the carrier's audit. */
  duplicateCharges: 'duplicate_charges',
  /** Counter: top-ups captured but never credited, from the carrier's audit. */
  lostTopups: 'lost_topups',
  /** Counter: every violation the carrier's audit found, of any kind. */
  auditViolations: 'audit_violations',
  /** Rate: intents the flow gave up on without knowing their outcome. */
  topupUnknown: 'topup_unknown',
  /** Trend (time): one intent, from its first request to its known outcome. */
  rechargeDuration: 'recharge_duration',
  /** Counter: purchase requests sent again after the first, per intent. */
  topupRetries: 'topup_retries',
} as const;

export type RechargeMetricName = (typeof rechargeMetricNames)[keyof typeof rechargeMetricNames];

/**
 * Where a value goes. k6's Counter, Rate and Trend have this shape, and so do the Node
 * driver's metrics, so the flow records the same way in both engines.
 */
export interface MetricSink {
  add(value: number | boolean, tags?: { [name: string]: string }): void;
}

export interface RechargeMetrics {
  readonly duplicateCharges: MetricSink;
  readonly lostTopups: MetricSink;
  readonly auditViolations: MetricSink;
  readonly topupUnknown: MetricSink;
  readonly rechargeDuration: MetricSink;
  readonly topupRetries: MetricSink;
}
