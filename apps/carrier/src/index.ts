export type { CarrierContext } from './app/carrier-context.ts';
export {
  type CarrierApp,
  type CarrierAppOptions,
  createCarrierApp,
} from './app/create-carrier-app.ts';
export {
  type CarrierConfig,
  CarrierConfigError,
  carrierUsage,
  DEFAULT_HOST,
  defaultPorts,
  isLoopbackHost,
  type LogLevel,
  type PortChoice,
  type PostgresStoreChoice,
  parseCarrierConfig,
  portSetting,
  postgresSchemaOf,
  replicaPorts,
  type StartupFaults,
  type StoreChoice,
} from './config/carrier-config.ts';
export type { InProcessRequest, InProcessResponse } from './http/in-process-dispatch.ts';
export { renderBanner } from './launcher/banner.ts';
export { CarrierStartError } from './launcher/carrier-start-error.ts';
export {
  type RunningCarriers,
  type StartCarriersOptions,
  sqliteFileOf,
  startCarriers,
} from './launcher/start-carriers.ts';
export { carrierCollections, carrierMigrations } from './persistence/collections.ts';
export type { ReplicaOptions } from './replication/replica.ts';
export { type Clock, TestClock } from './runtime/clock.ts';
export { CRASH_EXIT_CODE, type CrashHook } from './runtime/crash.ts';
export type { IdGenerator } from './runtime/ids.ts';
export type { ScheduledTask, Scheduler } from './runtime/scheduler.ts';
