import { type FaultPlan, type FaultRule, parseFaultRules } from '@esimlab/faults';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import { recordEvent } from '../events/journal.ts';
import { readSettings, writeSettings } from '../settings/carrier-settings.ts';
import { armDeviceFaults } from './device-faults.ts';

/** Rules and seed a carrier is started with (`--faults`, `--fault-seed`); each wins over the stored one. */
export interface StartupFaults {
  readonly rules?: readonly FaultRule[];
  readonly seed?: number;
}

/** Stores the plan's rules and seed in the caller's transaction. */
export async function writeFaults(
  tx: StoreTx,
  context: Pick<CarrierContext, 'profile' | 'faults'>,
  rules: readonly FaultRule[] = context.faults.rules(),
): Promise<void> {
  await writeSettings(tx, context, { faults: { seed: context.faults.seed, rules: [...rules] } });
}

/**
 * Changes the rules and stores them, with a `faults.changed` journal event, in one transaction:
 * `change` validates, then applies (a `ProblemError` leaves everything untouched), and a failed
 * commit puts the previous rules back.
 */
export async function changeFaults<T>(
  context: CarrierContext,
  action: string,
  change: (plan: FaultPlan) => T,
): Promise<T> {
  const plan = context.faults;
  const before = { seed: plan.seed, rules: plan.rules() };
  let applied = false;
  try {
    return await context.store.transaction(async (tx) => {
      const result = change(plan);
      applied = true;
      await writeFaults(tx, context);
      await armDeviceFaults(tx, context, before.rules);
      await recordEvent(tx, context, {
        type: 'faults.changed',
        data: { action, seed: plan.seed, ruleIds: plan.rules().map((r) => r.id) },
      });
      return result;
    });
  } catch (error) {
    if (applied) {
      plan.reseed(before.seed);
      plan.replace(before.rules);
    }
    throw error;
  }
}

/**
 * At start-up: the start-up rules and seed if given, else the stored ones (a restarted carrier
 * keeps what `/_sim/faults` set), and the result stored. Stored rules that no longer validate
 * (written by an older esimlab) are dropped with a warning rather than stopping the carrier.
 */
export async function restoreFaults(
  context: CarrierContext,
  startup: StartupFaults,
): Promise<void> {
  await context.store.transaction(async (tx) => {
    const stored = (await readSettings(tx, context)).faults;
    const seed = startup.seed ?? stored?.seed ?? context.faults.seed;
    context.faults.reseed(seed);
    context.faults.replace(startup.rules ?? validStored(context, stored?.rules ?? []));
    await writeFaults(tx, context);
    await armDeviceFaults(tx, context);
  });
}

function validStored(context: CarrierContext, rules: readonly FaultRule[]): readonly FaultRule[] {
  const parsed = parseFaultRules(rules);
  if (parsed.ok) return parsed.value;
  context.logger.warn(
    { errors: parsed.error },
    'stored fault rules are invalid; starting without them',
  );
  return [];
}
