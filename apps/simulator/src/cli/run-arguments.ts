import { type ApiStyle, type CarrierId, isApiStyle, isCarrierId } from '@esimlab/domain';
import { type FaultKind, faultKinds } from '@esimlab/faults';
import { type TestPaymentMethod, testPaymentMethods } from '../model/payment-methods.ts';
import { type AddonKind, addonKinds } from '../model/simulation-model.ts';
import { namedCarrierBuilds, namedStrategies } from '../property/run-catalog.ts';
import type { SimulationRunOptions } from '../run-options.ts';
import { SimulationError } from '../simulation-error.ts';

/** The flags that name a run's options, as `replayCommandOf` writes them. */
export const runOptionFlags = {
  style: { type: 'string' },
  carrier: { type: 'string' },
  strategy: { type: 'string' },
  'carrier-build': { type: 'string' },
  receiver: { type: 'string' },
  faults: { type: 'string' },
  cards: { type: 'string' },
  retry: { type: 'string' },
  addons: { type: 'string' },
} as const;

type RunFlags = { readonly [K in keyof typeof runOptionFlags]?: string | undefined };

/** Rebuilds a run's options from its flags; throws `invalid_run_options` naming what is wrong. */
export function runOptionsFromFlags(flags: RunFlags, style: ApiStyle): SimulationRunOptions {
  const bad = (message: string): never => {
    throw new SimulationError('invalid_run_options', message);
  };
  const strategy =
    flags.strategy === undefined
      ? undefined
      : (namedStrategies.get(flags.strategy) ??
        bad(
          `--strategy ${flags.strategy} is unknown; use one of ${[...namedStrategies.keys()].join(', ')}`,
        ));
  const carrierBuild =
    flags['carrier-build'] === undefined
      ? undefined
      : (namedCarrierBuilds.get(flags['carrier-build']) ??
        bad(
          `--carrier-build ${flags['carrier-build']} is unknown; use one of ${[...namedCarrierBuilds.keys()].join(', ')}`,
        ));
  let carrier: CarrierId | undefined;
  if (flags.carrier !== undefined) {
    carrier = isCarrierId(flags.carrier)
      ? flags.carrier
      : bad(`--carrier ${flags.carrier} is not att, tmobile or verizon`);
  }
  if (
    flags.receiver !== undefined &&
    flags.receiver !== 'applies-duplicates' &&
    flags.receiver !== 'dedupes'
  ) {
    bad(`--receiver must be dedupes or applies-duplicates; got ${flags.receiver}`);
  }
  return {
    apiStyle: style,
    ...(carrier === undefined ? {} : { carrier }),
    ...(strategy === undefined ? {} : { strategy }),
    ...(carrierBuild === undefined ? {} : { carrierBuild }),
    ...(flags.receiver === 'applies-duplicates' ? { receiverDedupe: false } : {}),
    ...(flags.faults === undefined
      ? {}
      : { faultKinds: listOf(flags.faults, faultKinds, '--faults') as FaultKind[] }),
    ...(flags.cards === undefined
      ? {}
      : {
          paymentMethods: listOf(flags.cards, testPaymentMethods, '--cards') as TestPaymentMethod[],
        }),
    ...(flags.retry === undefined ? {} : { retry: retryOf(flags.retry) }),
    ...(flags.addons === undefined
      ? {}
      : { addonKinds: listOf(flags.addons, addonKinds, '--addons') as AddonKind[] }),
  };
}

/** The API styles named by `--style` (comma-separated), or all three. */
export function stylesOf(value: string | undefined): ApiStyle[] {
  const styles = (value ?? 'idempotent,reference,async').split(',');
  for (const style of styles) {
    if (!isApiStyle(style)) {
      throw new SimulationError(
        'invalid_run_options',
        `--style ${style} is not idempotent, reference or async`,
      );
    }
  }
  return styles as ApiStyle[];
}

function listOf(value: string, known: readonly string[], flag: string): string[] {
  if (value === 'none') return [];
  const items = value.split(',').filter((item) => item !== '');
  const unknown = items.filter((item) => !known.includes(item));
  if (unknown.length > 0) {
    throw new SimulationError(
      'invalid_run_options',
      `${flag} names ${unknown.join(', ')}, which ${unknown.length === 1 ? 'is' : 'are'} not among ${known.join(', ')}`,
    );
  }
  return items;
}

function retryOf(value: string): Record<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !Object.values(parsed).every((v) => typeof v === 'number')
  ) {
    throw new SimulationError(
      'invalid_run_options',
      `--retry must be a JSON object of numbers, e.g. '{"settleMs":0}'; got ${value}`,
    );
  }
  return parsed as Record<string, number>;
}
