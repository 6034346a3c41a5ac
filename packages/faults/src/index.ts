export {
  defaultExcludedPaths,
  type FaultDecision,
  FaultPlan,
  type FaultPlanOptions,
  type FaultRequest,
  type FaultRuleCounters,
  type FaultRuleStatus,
  type FaultTarget,
  type HttpFaultRule,
  type TerminalFaultRule,
} from './engine/fault-plan.ts';
export { requestMatches } from './engine/internal/request-matches.ts';
export {
  type FaultCrashPoint,
  type FaultHandler,
  type FaultMiddlewareOptions,
  faultMiddleware,
  type InjectedFault,
} from './http/fault-middleware.ts';
export { DEFAULT_RETRY_AFTER_SECONDS, writeInjectedError } from './http/injected-error.ts';
export type { FaultPreset } from './presets/fault-preset.ts';
export {
  type FaultPresetName,
  faultPresetNames,
  faultPresets,
  isFaultPresetName,
} from './presets/fault-presets.ts';
export {
  type DeviceFaultKind,
  deviceFaultKinds,
  type FaultKind,
  faultKinds,
  faultTarget,
  type HttpFaultKind,
  httpFaultKinds,
  type WebhookFaultKind,
  webhookFaultKinds,
} from './rules/fault-kind.ts';
export {
  crashPointNames,
  type FaultParams,
  type FaultRule,
  type FaultRuleInput,
  faultParamsSchemas,
  faultRuleSchema,
} from './rules/fault-rule.ts';
export { type FaultPlanInput, parseFaultPlanInput } from './rules/parse-fault-plan-input.ts';
export {
  type FaultRuleError,
  type ParseFaultRulesOptions,
  parseFaultRule,
  parseFaultRules,
} from './rules/parse-fault-rules.ts';
export { isValidGlob, matchesGlob } from './rules/path-glob.ts';
