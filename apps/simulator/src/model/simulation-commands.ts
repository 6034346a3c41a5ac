import {
  crashPointNames,
  type FaultKind,
  httpFaultKinds,
  webhookFaultKinds,
} from '@esimlab/faults';
import fc from 'fast-check';
import { ActivateEsimCommand, MAX_ESIMS } from './commands/activate-esim.ts';
import { AdvanceClockCommand } from './commands/advance-clock.ts';
import { type ArmedRule, ArmFaultCommand, faultTargets } from './commands/arm-fault.ts';
import { ConsumeDataCommand } from './commands/consume-data.ts';
import { CrashCarrierCommand } from './commands/crash-carrier.ts';
import { DeliverWebhooksCommand } from './commands/deliver-webhooks.ts';
import { DisarmFaultsCommand } from './commands/disarm-faults.ts';
import { DuplicateWebhookCommand } from './commands/duplicate-webhook.ts';
import { MoveDeviceCommand } from './commands/move-device.ts';
import { ReorderWebhooksCommand } from './commands/reorder-webhooks.ts';
import { RetryUnknownIntentCommand } from './commands/retry-unknown-intent.ts';
import { TopUpCommand } from './commands/top-up.ts';
import type { TestPaymentMethod } from './payment-methods.ts';
import type { SimulationCommand } from './simulation-command.ts';

export interface CommandSpace {
  /** How many add-ons the carrier sells (TopUp picks one by index). */
  readonly addons: number;
  /** Fault kinds ArmFault may arm; `crash` also enables CrashCarrier. */
  readonly faultKinds: readonly FaultKind[];
  readonly paymentMethods: readonly TestPaymentMethod[];
  /** Upper bounds that keep waits short where time is real (the real-socket runs). */
  readonly limits?: FaultLimits;
}

/** The largest waits a fault may cause; real-socket runs keep them small. */
export interface FaultLimits {
  readonly maxLatencyMs: number;
  readonly maxSlowBodyMs: number;
  readonly maxWebhookDelayMs: number;
}

export const simulatedFaultLimits: FaultLimits = {
  maxLatencyMs: 4_000,
  maxSlowBodyMs: 15_000,
  maxWebhookDelayMs: 10_000,
};

/** The fault kinds the model knows how to arm. */
export const supportedFaultKinds: readonly FaultKind[] = [...httpFaultKinds, ...webhookFaultKinds];

const GB = 1_000_000_000;
const dataUses = [100_000_000, GB, 5 * GB, 25 * GB, 200 * GB] as const;

/** How often a purchase uses each card: mostly ones that pay, each failure mode now and then. */
const methodWeights: Readonly<Record<TestPaymentMethod, number>> = {
  pm_card_visa: 6,
  pm_card_mastercard: 1,
  pm_paypal: 1,
  pm_card_slow: 2,
  pm_card_chargeDeclined: 1,
  pm_card_insufficientFunds: 1,
  pm_card_processingError: 1,
};

/**
 * The commands of a run as one weighted arbitrary, for `fc.commands`: purchases most often,
 * then faults, activations and the rest. Kinds outside `faultKinds` are never armed.
 */
export function simulationCommands(space: CommandSpace): fc.Arbitrary<SimulationCommand> {
  const esimIndex = fc.nat({ max: MAX_ESIMS - 1 });
  const method = fc.oneof(
    ...space.paymentMethods.map((m) => ({ weight: methodWeights[m], arbitrary: fc.constant(m) })),
  );
  const armable = space.faultKinds.filter((k) => supportedFaultKinds.includes(k));
  const weighted: fc.WeightedArbitrary<SimulationCommand>[] = [
    {
      weight: 6,
      arbitrary: fc
        .tuple(esimIndex, fc.nat({ max: space.addons - 1 }), method)
        .map(([e, a, m]) => new TopUpCommand(e, a, m)),
    },
    { weight: 3, arbitrary: fc.constant(null).map(() => new ActivateEsimCommand()) },
    { weight: 2, arbitrary: fc.nat({ max: 7 }).map((i) => new RetryUnknownIntentCommand(i)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(esimIndex, fc.constantFrom(...dataUses))
        .map(([e, bytes]) => new ConsumeDataCommand(e, bytes)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(esimIndex, fc.constantFrom('metro' as const, 'quiet-zone' as const))
        .map(([e, place]) => new MoveDeviceCommand(e, place)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(1, 5, 30, 60).map((m) => new AdvanceClockCommand(m)),
    },
    { weight: 1, arbitrary: fc.constant(null).map(() => new DeliverWebhooksCommand()) },
    { weight: 1, arbitrary: fc.nat({ max: 9 }).map((i) => new DuplicateWebhookCommand(i)) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 2, max: 4 }).map((n) => new ReorderWebhooksCommand(n)),
    },
  ];
  if (armable.length > 0) {
    weighted.push(
      {
        weight: 3,
        arbitrary: faultRule(armable, space.limits ?? simulatedFaultLimits).map(
          (rule) => new ArmFaultCommand(rule),
        ),
      },
      { weight: 1, arbitrary: fc.constant(null).map(() => new DisarmFaultsCommand()) },
    );
  }
  if (space.faultKinds.includes('crash')) {
    weighted.push({
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.constant({ mode: 'kill' as const }),
          fc.constantFrom(...crashPointNames).map((point) => ({ mode: 'point' as const, point })),
        )
        .map((crash) => new CrashCarrierCommand(crash)),
    });
  }
  return fc.oneof(...weighted);
}

/** One rule of a kind in `kinds`, on one of a purchase's requests, often partial and limited. */
function faultRule(kinds: readonly FaultKind[], limits: FaultLimits): fc.Arbitrary<ArmedRule> {
  const target = fc.constantFrom(...(Object.keys(faultTargets) as (keyof typeof faultTargets)[]));
  const common = {
    probability: fc.constantFrom(1, 0.5, 0.25),
    times: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  };
  const onRequests = (kind: FaultKind, params: fc.Arbitrary<object>) =>
    fc
      .record({ target, params, ...common })
      .map(({ target: name, params: p, probability, times }) =>
        rule(kind, p, probability, times, faultTargets[name]),
      );
  const onWebhooks = (kind: FaultKind, params: fc.Arbitrary<object>) =>
    fc
      .record({ params, ...common })
      .map(({ params: p, probability, times }) => rule(kind, p, probability, times, undefined));
  const byKind: Partial<Record<FaultKind, fc.Arbitrary<ArmedRule>>> = {
    latency: onRequests(
      'latency',
      fc.record({ ms: fc.integer({ min: 1, max: limits.maxLatencyMs }) }),
    ),
    error: onRequests(
      'error',
      fc.record(
        {
          status: fc.constantFrom(500, 502, 503, 504, 429),
          retryAfter: fc.integer({ min: 0, max: 3 }),
        },
        { requiredKeys: ['status'] },
      ),
    ),
    timeout: onRequests('timeout', fc.constant({})),
    'reset-before': onRequests('reset-before', fc.constant({})),
    'reset-after-commit': onRequests('reset-after-commit', fc.constant({})),
    truncated: onRequests('truncated', fc.record({ bytes: fc.integer({ min: 0, max: 64 }) })),
    'slow-body': onRequests(
      'slow-body',
      fc.record({ durationMs: fc.integer({ min: 1, max: limits.maxSlowBodyMs }) }),
    ),
    crash: fc
      .record({ point: fc.constantFrom(...crashPointNames), ...common })
      .map(({ point, probability, times }) =>
        rule('crash', { point }, probability, times, faultTargets.purchase),
      ),
    'webhook-duplicate': onWebhooks(
      'webhook-duplicate',
      fc.record({ copies: fc.integer({ min: 1, max: 2 }) }),
    ),
    'webhook-delay': onWebhooks(
      'webhook-delay',
      fc.record({ ms: fc.integer({ min: 1, max: limits.maxWebhookDelayMs }) }),
    ),
    'webhook-reorder': onWebhooks(
      'webhook-reorder',
      fc.record({ windowMs: fc.integer({ min: 100, max: 3_000 }) }),
    ),
    'webhook-drop': onWebhooks('webhook-drop', fc.constant({})),
  };
  const choices = kinds.flatMap((kind) => {
    const arbitrary = byKind[kind];
    return arbitrary === undefined ? [] : [arbitrary];
  });
  return fc.oneof(...choices);
}

function rule(
  kind: FaultKind,
  params: object,
  probability: number,
  times: number | undefined,
  match: { readonly method: string; readonly path: string } | undefined,
): ArmedRule {
  return {
    kind,
    params,
    probability,
    ...(times === undefined ? {} : { times }),
    ...(match === undefined ? {} : { match: { method: match.method, path: match.path } }),
  } as ArmedRule;
}
