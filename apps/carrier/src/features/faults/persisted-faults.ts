import { FaultPlan, type FaultRule, parseFaultRules } from '@esimlab/faults';
import type { StoreTx } from '@esimlab/store';
import type { CarrierContext } from '../../app/carrier-context.ts';
import type { SettingsRecord, StoredFaults } from '../../persistence/collections.ts';
import { recordEvent } from '../events/journal.ts';
import { readSettings, writeSettings } from '../settings/carrier-settings.ts';
import { armDeviceFaults } from './device-faults.ts';

/** Rules and seed a carrier is started with (`--faults`, `--fault-seed`); each wins over the stored one. */
export interface StartupFaults {
  readonly rules?: readonly FaultRule[];
  readonly seed?: number;
}

/**
 * A scratch copy of the stored plan that notes whether a change restarted its counters and
 * random source (a replacement or a new seed), as opposed to appending or removing a rule.
 */
class ChangingPlan extends FaultPlan {
  restarted = false;

  override replace(rules: readonly FaultRule[]): void {
    this.restarted = true;
    super.replace(rules);
  }

  override reseed(seed: number): void {
    this.restarted = true;
    super.reseed(seed);
  }
}

/**
 * Changes the rules and stores them, with a `faults.changed` journal event, in one transaction.
 * `change` works on a copy of the stored plan (what every replica shares) and may run more than
 * once; a `ProblemError` it throws leaves everything untouched. This replica's own plan, and
 * every other replica's on its next request, then catch up with what was stored.
 */
export async function changeFaults<T>(
  context: CarrierContext,
  action: string,
  change: (plan: FaultPlan) => T,
): Promise<T> {
  const { result, written } = await context.store.transaction(async (tx) => {
    const stored = (await readSettings(tx, context)).faults;
    const plan = new ChangingPlan({
      seed: stored?.seed ?? context.faults.seed,
      rules: stored?.rules ?? [],
    });
    const before = plan.rules();
    const result = change(plan);
    const written = await storeFaults(tx, context, plan, {
      generation: (stored?.generation ?? 0) + (plan.restarted ? 1 : 0),
      previous: before,
    });
    await recordEvent(tx, context, {
      type: 'faults.changed',
      data: { action, seed: plan.seed, ruleIds: plan.rules().map((r) => r.id) },
    });
    return { result, written };
  });
  context.sharedState.apply(written);
  return result;
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
  let invalid: unknown;
  const written = await context.store.transaction(async (tx) => {
    const stored = (await readSettings(tx, context)).faults;
    const parsed = parseFaultRules(stored?.rules ?? []);
    invalid = parsed.ok ? undefined : parsed.error;
    const plan = new FaultPlan({
      seed: startup.seed ?? stored?.seed ?? context.faults.seed,
      rules: startup.rules ?? (parsed.ok ? parsed.value : []),
    });
    const restarted =
      stored === undefined ||
      startup.rules !== undefined ||
      (startup.seed !== undefined && startup.seed !== stored.seed);
    return storeFaults(tx, context, plan, {
      generation: (stored?.generation ?? 0) + (restarted ? 1 : 0),
    });
  });
  if (invalid !== undefined) {
    context.logger.warn(
      { errors: invalid },
      'stored fault rules are invalid; starting without them',
    );
  }
  context.sharedState.apply(written);
}

/** Writes the plan's rules and seed, and when its device rules were armed. */
async function storeFaults(
  tx: StoreTx,
  context: CarrierContext,
  plan: FaultPlan,
  options: { readonly generation: number; readonly previous?: readonly FaultRule[] },
): Promise<SettingsRecord> {
  const faults: StoredFaults = {
    seed: plan.seed,
    rules: [...plan.rules()],
    generation: options.generation,
  };
  await writeSettings(tx, context, { faults });
  return armDeviceFaults(tx, { ...context, faults: plan }, options.previous);
}
