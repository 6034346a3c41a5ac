import type { ScenarioStep, StepKind, StepOf } from '../scenarios/scenario-schema.ts';
import type { ScenarioWorld } from './scenario-world.ts';
import {
  activateEsim,
  changeProfile,
  checkCoverage,
  checkQrCode,
  createDevice,
  moveDevice,
  useData,
} from './steps/devices.ts';
import { checkExpectations } from './steps/expectations.ts';
import { armCrashPoint, armFaults, configureCarrier } from './steps/network.ts';
import { cancelEsim, createTenant, orderEsim, updateEsim } from './steps/subscribers.ts';
import { advanceClock, waitFor } from './steps/time.ts';
import { buyTopup } from './steps/topups.ts';
import { subscribeReceiver, triggerEvent } from './steps/webhooks.ts';

/** Runs one step and says in one line what it did. */
type StepExecutor<K extends StepKind> = (world: ScenarioWorld, step: StepOf<K>) => Promise<string>;

const executors: { readonly [K in StepKind]: StepExecutor<K> } = {
  tenant: createTenant,
  esim: orderEsim,
  device: createDevice,
  activate: activateEsim,
  profile: changeProfile,
  qr: checkQrCode,
  move: moveDevice,
  coverage: checkCoverage,
  config: configureCarrier,
  faults: armFaults,
  crash: armCrashPoint,
  topup: buyTopup,
  advance: advanceClock,
  use: useData,
  update: updateEsim,
  cancel: cancelEsim,
  webhooks: subscribeReceiver,
  trigger: triggerEvent,
  wait: waitFor,
  expect: checkExpectations,
};

/** The kind of a step: its one key. */
export function kindOf(step: ScenarioStep): StepKind {
  const [kind] = Object.keys(step) as StepKind[];
  if (kind === undefined) throw new Error('a step has exactly one key');
  return kind;
}

export function runStep(world: ScenarioWorld, step: ScenarioStep): Promise<string> {
  const kind = kindOf(step);
  const body = (step as Record<StepKind, unknown>)[kind];
  return (executors[kind] as StepExecutor<StepKind>)(world, body as StepOf<StepKind>);
}
