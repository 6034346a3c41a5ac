// @esimlab/domain: the pure model. No I/O and no clock reads; time is always a parameter.

export {
  type AuditInput,
  type AuditReport,
  audit,
  mergeAuditReports,
  type UnknownIntentResolution,
} from './audit/audit.ts';
export { type ChargeStatus, chargeStatuses, type GatewayCharge } from './audit/gateway-charge.ts';
export {
  formatIdempotencyScope,
  type IdempotencyRecord,
  type IdempotencyScope,
} from './audit/idempotency-record.ts';
export type { IntentOutcome, IntentStatus, TopupIntent } from './audit/intent.ts';
export {
  type Violation,
  type ViolationEvidence,
  type ViolationKind,
  violationKinds,
} from './audit/violation.ts';
export {
  type ApiStyle,
  apiStyles,
  type CarrierId,
  carrierIds,
  isApiStyle,
  isCarrierId,
} from './catalog/carrier.ts';
export type { CarrierProfile } from './catalog/carrier-profile.ts';
export {
  type CatalogError,
  type CatalogProblem,
  carrierProfiles,
  findPlan,
  type PlanNotFoundError,
  plansOf,
  validateCarrierProfile,
} from './catalog/catalog.ts';
export { type BucketKind, bucketKinds, type DataRules } from './catalog/data-rules.ts';
export type { AddonKind, AddonPlan, BasePlan, Plan, PlanId } from './catalog/plan.ts';
export {
  activePromotions,
  type DatedWindow,
  type Promotion,
  type PromotionBonus,
  type PromotionId,
  type PromotionTarget,
  type PromotionWindow,
  promotionBonusBytes,
  promotionCovers,
  type WeeklyWindow,
} from './catalog/promotion.ts';
export {
  formatBinaryBytes,
  formatDecimalBytes,
  GB,
  GiB,
  gibibytes,
  gigabytes,
  KB,
  KiB,
  MB,
  MiB,
  mebibytes,
  megabytes,
} from './data/data-size.ts';
export {
  type ActivationCode,
  formatActivationCode,
  generateMatchingId,
  parseActivationCode,
} from './identifiers/activation-code.ts';
export {
  defaultEidPrefix,
  type Eid,
  type EidOptions,
  formatEid,
  generateEid,
  isEid,
  parseEid,
} from './identifiers/eid.ts';
export {
  formatIccid,
  generateIccid,
  type Iccid,
  type IccidExpectations,
  type IccidOptions,
  isIccid,
  parseIccid,
} from './identifiers/iccid.ts';
export type { IdentifierError, IdentifierRule } from './identifiers/identifier-error.ts';
export {
  formatImsi,
  generateImsi,
  type Imsi,
  type ImsiOptions,
  type ImsiParts,
  imsiParts,
  isImsi,
  parseImsi,
} from './identifiers/imsi.ts';
export { isLuhnValid, luhnCheckDigit } from './identifiers/internal/luhn.ts';
export {
  formatMsisdn,
  generateMsisdn,
  isFictionalMsisdn,
  isMsisdn,
  type Msisdn,
  type MsisdnOptions,
  type MsisdnStyle,
  parseMsisdn,
} from './identifiers/msisdn.ts';
export {
  type Balance,
  type BalanceOptions,
  type BucketBalance,
  balanceOf,
  deriveBalance,
} from './ledger/balance.ts';
export {
  type BucketDrain,
  type ConsumptionPlan,
  planConsumption,
} from './ledger/consumption-plan.ts';
export {
  type DataFold,
  type FoldedBucket,
  foldData,
  isLive,
  type Overdraft,
  startDataFold,
} from './ledger/data-fold.ts';
export { appendEntry, inLedgerOrder, type Ledger, type LedgerError } from './ledger/ledger.ts';
export {
  type ChargeAuthorizedEntry,
  type ChargeCapturedEntry,
  type ChargePurpose,
  type ChargePurposeKind,
  type ChargeRefundedEntry,
  type ChargeVoidedEntry,
  type CreditSource,
  type CreditSourceKind,
  chargePurposeKinds,
  creditSourceKinds,
  type DataConsumedEntry,
  type DataCreditedEntry,
  type DataExpiredEntry,
  type FeeAssessedEntry,
  type FulfilmentEntry,
  type LedgerEntry,
  type LedgerEntryType,
} from './ledger/ledger-entry.ts';
export { downloadAndInstall } from './lifecycle/download.ts';
export type {
  CodeAlreadyUsedError,
  ConfirmationCodeInvalidError,
  IllegalTransitionError,
  LifecycleError,
  LifecycleErrorCode,
  RecordedAttempt,
  TooManyAttemptsError,
} from './lifecycle/lifecycle-error.ts';
export {
  type DownloadAttempt,
  type DownloadAttemptEvent,
  type LifecycleEvent,
  type LifecycleEventType,
  lifecycleEventTypes,
} from './lifecycle/lifecycle-event.ts';
export { type ProfileOrder, placeOrder } from './lifecycle/order.ts';
export {
  isLocked,
  MAX_CONFIRMATION_CODE_ATTEMPTS,
  MAX_DOWNLOAD_ATTEMPTS,
  newProfile,
  type Profile,
} from './lifecycle/profile.ts';
export {
  canTransition,
  lifecycleTransitions,
  type ProfileState,
  profileStates,
  type TransitionTable,
} from './lifecycle/profile-state.ts';
export { profileAfter, transition } from './lifecycle/transition.ts';
export {
  addMoney,
  type Currency,
  currencies,
  formatMoney,
  isSameMoney,
  type Money,
  type MoneyError,
  money,
  subtractMoney,
  sumMoney,
  usd,
  zero,
} from './money/money.ts';
export {
  type RandomSource,
  randomDigits,
  randomInt,
  seededRandom,
} from './random/random-source.ts';
export { err, ok, type Result, unwrap } from './result.ts';
export { closestMatch, suggestionBudget } from './text/closest-match.ts';
export { compareText } from './text/compare-text.ts';
export { DAY_MS, type EpochMillis, HOUR_MS, MINUTE_MS, SECOND_MS, toIso } from './time/instant.ts';
export {
  addLocalDays,
  compareLocalDates,
  formatLocalDate,
  type LocalDate,
  type LocalDateError,
  type LocalParts,
  localDateOf,
  localParts,
  parseLocalDate,
  startOfLocalDay,
  type Weekday,
  weekdayOf,
} from './time/local-date.ts';
export { parseTimeZone, type TimeZone, type TimeZoneError } from './time/time-zone.ts';
export { expiresAt } from './time/validity.ts';
export {
  isWebhookEventType,
  type WebhookEventType,
  webhookEventTypes,
} from './webhooks/webhook-event-type.ts';
export {
  signWebhookPayload,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_TOLERANCE_SECONDS,
  type WebhookSignatureError,
  type WebhookSignatureErrorCode,
  type WebhookSigning,
  type WebhookVerification,
} from './webhooks/webhook-signature.ts';
