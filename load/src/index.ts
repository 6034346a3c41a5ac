// @esimlab/load: load scenarios for the recharge path. flow/, scenarios/, summary/ and
// thresholds/ are engine-neutral: the k6 script load/recharge.ts imports them as they are.
// driver/ runs the same scenarios on Node (undici, HDR histograms) where k6 is absent.

export { type ArrivalSchedule, arrivalSchedule } from './driver/executors/arrival-schedule.ts';
export {
  type ExecutionCounts,
  type IterationEnd,
  ScenarioExecution,
} from './driver/executors/scenario-execution.ts';
export { Counter, Gauge, Metric, Rate, type Tags, Trend } from './driver/metrics/metric.ts';
export {
  MetricRegistry,
  ThresholdConfigError,
  type ThresholdSpec,
  type ThresholdVerdict,
} from './driver/metrics/metric-registry.ts';
export { registerRechargeMetrics } from './driver/metrics/recharge-metric-set.ts';
export {
  formatProgressLine,
  type ProgressOutput,
  type ProgressSnapshot,
  progressReporter,
} from './driver/progress-line.ts';
export {
  planRechargeLoad,
  type RechargeLoadOptions,
  type RechargeLoadResult,
  runRechargeLoad,
} from './driver/run-recharge-load.ts';
export {
  type LatencySummary,
  runWorkload,
  type VuContext,
  type Workload,
  type WorkloadOptions,
  type WorkloadResult,
} from './driver/run-workload.ts';
export {
  type HttpMetrics,
  IterationInterrupted,
  UndiciLoadHttp,
  type UndiciLoadHttpOptions,
} from './driver/undici-load-http.ts';
export { type ApiStyle, apiStyles, isApiStyle } from './flow/api-style.ts';
export type {
  HttpMethod,
  LoadAnswer,
  LoadRequest,
  LoadRuntime,
  NetworkFailureKind,
} from './flow/load-runtime.ts';
export {
  type LookupAnswer,
  type PurchaseSession,
  purchaseSession,
} from './flow/purchase-session.ts';
export { purchaseStrategies } from './flow/purchase-strategies.ts';
export type { PurchaseOutcome, PurchaseStrategy } from './flow/purchase-strategy.ts';
export {
  type AuditViolation,
  auditRecharge,
  describeAudit,
  type RechargeAudit,
} from './flow/recharge-audit.ts';
export { intentKeyOf, type RechargeResult, rechargeIteration } from './flow/recharge-iteration.ts';
export {
  type MetricSink,
  type RechargeMetricName,
  type RechargeMetrics,
  rechargeMetricNames,
} from './flow/recharge-metrics.ts';
export {
  defaultRechargeRetryPolicy,
  type RechargeRetryPolicy,
  type RechargeRun,
} from './flow/recharge-run.ts';
export {
  DEFAULT_SUBSCRIBERS,
  DEV_API_KEY,
  type FaultArming,
  LoadSetupError,
  type LoadSetupErrorCode,
  makeRunId,
  type RechargeSetupInput,
  setupRecharge,
} from './flow/recharge-setup.ts';
export { teardownRecharge } from './flow/recharge-teardown.ts';
export type { FailureClass, TopupAnswer, TopupView } from './flow/topup-answer.ts';
export { type DurationParse, formatDuration, parseDuration } from './scenarios/duration.ts';
export type {
  ConstantArrivalRateConfig,
  ConstantVusConfig,
  ExecutorConfig,
  RampingArrivalRateConfig,
  RateStage,
} from './scenarios/executor-config.ts';
export { type LoadOptions, loadOptions, summaryTrendStats } from './scenarios/k6-options.ts';
export { type LoadEnvSettings, loadEnvNames, loadSettingsFromEnv } from './scenarios/load-env.ts';
export {
  isLoadScenarioName,
  type LoadScenarioName,
  loadScenarioNames,
  planScenario,
  type ScenarioPlan,
  type ScenarioSettings,
} from './scenarios/load-scenarios.ts';
export {
  parseRate,
  parseRunDuration,
  parseScenarioName,
  parseVus,
  type SettingParse,
} from './scenarios/load-settings.ts';
export {
  type Enforcement,
  isEnforced,
  k6Thresholds,
  rechargeThresholds,
  type ThresholdKind,
  type ThresholdRule,
} from './scenarios/recharge-thresholds.ts';
export { junitReport } from './summary/junit-report.ts';
export {
  type MetricSummary,
  type SummaryData,
  type ThresholdResult,
  thresholdResults,
} from './summary/summary-data.ts';
export { JUNIT_FILE, SUMMARY_JSON_FILE, summaryFiles } from './summary/summary-files.ts';
export {
  actualOf,
  formatMs,
  type TextSummaryOptions,
  textSummary,
} from './summary/text-summary.ts';
export {
  type MetricSelector,
  type MetricType,
  parseMetricSelector,
  parseThreshold,
  statisticsOf,
  type ThresholdExpression,
  type ThresholdOperator,
  type ThresholdParse,
  thresholdHolds,
} from './thresholds/threshold-expression.ts';
