export {
  type AuditViolation,
  type BalanceMismatch,
  type BalanceMismatchEvidence,
  type CheckedIntent,
  type CheckReport,
  type CheckViolation,
  type CheckViolationKind,
  checkViolationKinds,
  type SkippedCheck,
  type UsageView,
  type WebhookEventEvidence,
  type WebhookEventViolation,
} from './checker/check-report.ts';
export {
  type CheckedCarrier,
  type CheckInput,
  checkRun,
  DEV_API_KEY,
  type ReceiverLog,
} from './checker/check-run.ts';
export { CheckerError, type CheckerErrorCode } from './checker/checker-error.ts';
export { formatCheckReport } from './checker/format-check-report.ts';
export { IntentLog, type IntentLogOptions, toTopupIntents } from './intents/intent-log.ts';
export { IntentLogError, type IntentLogErrorCode } from './intents/intent-log-error.ts';
export {
  type AttemptSummary,
  type IntentRecord,
  intentRecordSchema,
} from './intents/intent-record.ts';
export {
  freshKeyRetry,
  type MutantStrategyName,
  mutantStrategies,
  referenceBlindRetry,
  startMutantReceiver,
  timeoutBuysAgain,
} from './mutants/index.ts';
export {
  type ConsoleFormatOptions,
  formatConsoleSummary,
  formatScenarioLine,
} from './reports/console-report.ts';
export { toHtmlReport } from './reports/html-report.ts';
export { toJUnitXml } from './reports/junit-report.ts';
export type {
  CheckerVerdict,
  FaultHit,
  IntentAttempt,
  IntentOutcomeStatus,
  IntentSummary,
  ReportedViolation,
  RunReport,
  RunSummary,
  RunTarget,
  ScenarioFailure,
  ScenarioResult,
  ScenarioStatus,
  StepResult,
  StepStatus,
  TimelinePoint,
} from './reports/run-report.ts';
export { type WrittenReports, writeReports } from './reports/write-reports.ts';
export { type CarrierLease, type CarrierPool, fixedCarrierPool } from './runner/carrier-pool.ts';
export { type RunScenarioOptions, runScenario } from './runner/run-scenario.ts';
export { type RunSuiteOptions, runSuite } from './runner/run-suite.ts';
export { freshRunSeed, scenarioSeed } from './runner/scenario-seed.ts';
export {
  discoverScenarioFiles,
  type LoadedSuite,
  loadSuite,
} from './scenarios/discover-scenarios.ts';
export {
  type LoadedScenario,
  loadScenarioFile,
  parseScenario,
} from './scenarios/load-scenario.ts';
export {
  ScenarioFileError,
  type ScenarioFileErrorCode,
  type ScenarioFilePosition,
  ScenarioLoadError,
} from './scenarios/scenario-file-error.ts';
export {
  renderScenarioJsonSchema,
  scenarioJsonSchema,
  scenarioJsonSchemaPath,
} from './scenarios/scenario-json-schema.ts';
export {
  type Scenario,
  type ScenarioInput,
  type ScenarioStep,
  type StepKind,
  type StepOf,
  scenarioSchema,
  stepBodySchemas,
  stepKinds,
  stepSchema,
  type ViolationKindName,
} from './scenarios/scenario-schema.ts';
