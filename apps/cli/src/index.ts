export type { CliCommand } from './cli-command.ts';
export { CliFailure, type CliFailureCode, CliUsageError } from './cli-error.ts';
export type { CliIo } from './io.ts';
export { runCli } from './run-cli.ts';
export {
  type CarrierTarget,
  carrierUnreachable,
  defaultTargets,
  identifyTargets,
  parseTargetEntries,
  resolveTargets,
  type TargetEntry,
} from './targets.ts';
