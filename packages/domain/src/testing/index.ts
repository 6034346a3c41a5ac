// Test-only helpers (they import fast-check): for a `./testing` export, never re-exported from
// the package's main entry.
export {
  buildHistory,
  type FeeStep,
  feeStepArbitrary,
  type Grant,
  type History,
  type HistoryStep,
  historyArbitrary,
  historyStepsArbitrary,
  type IntentChoice,
  type PlanStep,
  type Purchase,
  type PurchaseOutcome,
  planStepArbitrary,
  type TopupStep,
  topupStepArbitrary,
} from './clean-history.ts';
export { consumptionOrderArbitrary, testIccids } from './consumption-order.ts';
export {
  type DataStep,
  dataEntriesFromSteps,
  dataLedgerArbitrary,
  dataStepsArbitrary,
  observationTimeArbitrary,
} from './data-ledger.ts';
export { expectEqual } from './expect-equal.ts';
export {
  type Planted,
  plantConflictingRequest,
  plantDroppedFulfilment,
  plantIntentOutcome,
  plantOverdraft,
  plantRefundKeepingFulfilment,
  plantRepeatedTopup,
  plantSecondCapture,
  plantUnpaidCredit,
} from './plant-violation.ts';
