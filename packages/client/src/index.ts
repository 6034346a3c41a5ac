// @esimlab/client: a typed client of the esimlab carriers, top-ups that retry safely in each
// API style, and a webhook receiver that checks signatures and applies each event once.

export type { CallOptions } from './call-options.ts';
export {
  CarrierClient,
  type CarrierClientOptions,
  DEFAULT_TIMEOUT_MS,
  DEV_API_KEY,
  type IdempotentCallOptions,
} from './carrier-client.ts';
export type {
  Coverage,
  CoverageArea,
  CoverageMap,
  CoverageOverride,
  CoverageOverrideInput,
  CoverageRegion,
  Location,
  Signal,
} from './contract/coverage.ts';
export type {
  DataUse,
  DataUseInput,
  Device,
  DeviceInput,
  DeviceProfile,
  DeviceUpdate,
  ProfileAction,
  ProfileActionResult,
} from './contract/device.ts';
export type {
  Esim,
  EsimBalance,
  EsimCancellation,
  EsimOrder,
  EsimPage,
  EsimUpdate,
  EsimUsage,
  ProfileState,
  ServiceStatus,
  Subscriber,
} from './contract/esim.ts';
export type { Health } from './contract/health.ts';
export type { ProfileDownload, ProfileDownloadRequest } from './contract/lpa.ts';
export type { Money } from './contract/money.ts';
export type {
  JsonSchema,
  OpenApiDocument,
  OpenApiOperation,
} from './contract/openapi-document.ts';
export type { CarrierName, Plan } from './contract/plan.ts';
export type { FieldProblem, Problem } from './contract/problem.ts';
export type {
  CreatedTopup,
  Topup,
  TopupPage,
  TopupRequest,
  TopupStatus,
} from './contract/topup.ts';
export {
  type CreatedWebhookEndpoint,
  type EsimWebhookEvent,
  isTopupEvent,
  type TopupWebhookEvent,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryPage,
  type WebhookEndpoint,
  type WebhookEndpointInput,
  type WebhookEvent,
  type WebhookEventType,
  webhookEventTypes,
} from './contract/webhook.ts';
export type { CarrierAudit, IntentAudit } from './control-plane/carrier-audit.ts';
export type { CarrierConfig, CarrierConfigUpdate } from './control-plane/carrier-config.ts';
export type { Clock, ClockAdvance } from './control-plane/clock.ts';
export type { CrashPoint, CrashPoints } from './control-plane/crash-points.ts';
export type {
  FaultBehaviour,
  FaultKind,
  FaultMatch,
  FaultPlan,
  FaultPresetName,
  FaultRuleCounters,
  FaultRuleInput,
  FaultRuleStatus,
} from './control-plane/faults.ts';
export type {
  GatewayCharge,
  GatewayChargePage,
  GatewayChargeQuery,
} from './control-plane/gateway-charge.ts';
export type { JournalEvent, JournalPage, JournalQuery } from './control-plane/journal.ts';
export type { LedgerPage, PageQuery } from './control-plane/page-query.ts';
export type { SeededSubscriber, SeedInput, SeedResult } from './control-plane/seed.ts';
export { SimClient } from './control-plane/sim-client.ts';
export type { CreatedTenant, Tenant } from './control-plane/tenants.ts';
export {
  CarrierNetworkError,
  type NetworkErrorCode,
  type NetworkErrorKind,
  type NetworkErrorPhase,
} from './errors/carrier-network-error.ts';
export { CarrierProblemError, type RequestTarget } from './errors/carrier-problem-error.ts';
export { type CarrierRequestError, isCarrierRequestError } from './errors/carrier-request-error.ts';
export { parseRetryAfter } from './errors/retry-after.ts';
export { backoffCeilingMs, backoffDelayMs } from './retry/backoff.ts';
export { defaultRetryPolicy, type RetryPolicy, resolveRetryPolicy } from './retry/retry-policy.ts';
export type {
  AttemptRecord,
  AttemptRequest,
  AttemptResult,
} from './topups/attempt-record.ts';
export { awaitTopupCompletion } from './topups/await-completion.ts';
export {
  type PurchaseTopupOptions,
  purchaseTopup,
  type TopupResult,
} from './topups/purchase-topup.ts';
export {
  classifyTopupFailure,
  gaveUpOutcome,
  rejectedOutcome,
  retryAfterOf,
  type TopupFailureClass,
} from './topups/topup-failure.ts';
export { outcomeOfTopup, type TopupOutcome } from './topups/topup-outcome.ts';
export type { TopupIdentifiers, TopupPurchase } from './topups/topup-purchase.ts';
export type { TopupCall, TopupSession } from './topups/topup-session.ts';
export { defaultStrategyFor, topupStrategies } from './topups/topup-strategies.ts';
export type { TopupStrategy } from './topups/topup-strategy.ts';
export {
  type CarrierTransport,
  httpTransport,
  type TransportOutcome,
  type TransportRequest,
} from './transport/carrier-transport.ts';
export {
  type ReceivedDelivery,
  type WebhookAnswer,
  type WebhookHeaders,
  WebhookInbox,
  type WebhookInboxOptions,
  type WebhookWaitTimer,
} from './webhooks/webhook-inbox.ts';
export {
  startWebhookReceiver,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from './webhooks/webhook-receiver.ts';
