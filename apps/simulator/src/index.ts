// @esimlab/simulator: the carrier in-process over a simulated network on virtual time, the
// model-based property of each API style, and the same model over a real socket.

export { captureFirstSagaCarrier } from './carrier/mutants/capture-first-saga-carrier.ts';
export { memoryIdempotencyCarrier } from './carrier/mutants/memory-idempotency-carrier.ts';
export { memoryOutboxCarrier } from './carrier/mutants/memory-outbox-carrier.ts';
export {
  type CarrierAppFactory,
  type CarrierIncarnation,
  SimulatedCarrier,
  type SimulatedCarrierOptions,
} from './carrier/simulated-carrier.ts';
export {
  cellKey,
  type MatrixCell,
  type MatrixCounterexample,
} from './matrix/matrix-cell.ts';
export { matrixFaults, matrixStrategies, matrixStyles } from './matrix/matrix-dimensions.ts';
export {
  formatPinnedVerdicts,
  type PinnedVerdicts,
  pinnedVerdictsUrl,
  readPinnedVerdicts,
  safetyMatrixUrl,
} from './matrix/pinned-verdicts.ts';
export { type RenderOptions, renderSafetyMatrix } from './matrix/render-safety-matrix.ts';
export {
  cellRunOptions,
  runMatrixCell,
  runSafetyMatrix,
  type SafetyMatrixOptions,
} from './matrix/run-safety-matrix.ts';
export type { CarrierWorld } from './model/carrier-world.ts';
export { type TestPaymentMethod, testPaymentMethods } from './model/payment-methods.ts';
export { runCommands } from './model/run-commands.ts';
export type { SimulationCommand } from './model/simulation-command.ts';
export {
  type CommandSpace,
  type FaultLimits,
  simulatedFaultLimits,
  simulationCommands,
  supportedFaultKinds,
} from './model/simulation-commands.ts';
export {
  type AddonKind,
  addonKinds,
  addonsOf,
  type SimulationModel,
} from './model/simulation-model.ts';
export {
  ModelViolationError,
  type SimulationViolation,
  type SimulationViolationKind,
} from './model/simulation-violation.ts';
export { type FailureReportInput, formatFailure } from './property/failure-report.ts';
export { type ReplayPoint, replayCommandOf } from './property/replay-command.ts';
export { namedCarrierBuilds, namedStrategies } from './property/run-catalog.ts';
export { SimulationFailure } from './property/simulation-failure.ts';
export {
  checkSimulation,
  MAX_COMMANDS,
  type PropertyOptions,
  type RunCommands,
  type SimulationCheck,
  type SimulationCheckOptions,
  type SimulationInput,
  simulationProperty,
} from './property/simulation-property.ts';
export { type RealCarrier, startRealCarrier } from './real-socket/real-carrier.ts';
export {
  realSocketFaultLimits,
  realSocketRetry,
  runOnRealCarrier,
} from './real-socket/run-on-real-carrier.ts';
export { type RunWorld, runInWorld, type WorldOfRun } from './run-in-world.ts';
export {
  type CarrierBuild,
  carrierOfStyle,
  type ResolvedRunOptions,
  resolveRunOptions,
  type SimulationRunOptions,
  standardCarrier,
} from './run-options.ts';
export { runSimulation } from './run-simulation.ts';
export type { RunStats, RunVerdict } from './run-verdict.ts';
export { SimulationError, type SimulationErrorCode } from './simulation-error.ts';
export {
  type NetworkFaultCounts,
  SimulatedTransport,
  type SimulatedTransportOptions,
} from './transport/simulated-transport.ts';
export {
  type DriveOptions,
  VirtualClock,
  type VirtualTimer,
} from './virtual-time/virtual-clock.ts';
export { type VirtualScheduler, virtualScheduler } from './virtual-time/virtual-scheduler.ts';
export {
  SimulatedWebhookReceiver,
  type SimulatedWebhookReceiverOptions,
} from './webhooks/simulated-webhook-receiver.ts';
export { RealSocketWorld, type RealSocketWorldOptions } from './worlds/real-socket-world.ts';
export { SimulatedWorld, type SimulatedWorldOptions } from './worlds/simulated-world.ts';
