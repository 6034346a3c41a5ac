import type { CarrierWorld } from './carrier-world.ts';
import { steadily } from './internal/world-calls.ts';
import { type EsimModel, remainingRange, type SimulationModel } from './simulation-model.ts';
import { violated } from './simulation-violation.ts';

/**
 * The cheap invariant checked after each command that can move data: what the subscriber
 * sees on each eSIM is within what the model allows. Data left is at least what is
 * certainly credited minus the use (never negative), and at most that plus every unknown
 * top-up, so a lost or doubled top-up shows as soon as it happens. One eSIM is read through
 * its usage (used data must match exactly too); several through one page of the eSIM list.
 */
export async function checkBalances(
  model: SimulationModel,
  world: CarrierWorld,
  esims: readonly EsimModel[] = model.esims,
): Promise<void> {
  const [only] = esims;
  if (only === undefined) return;
  if (esims.length === 1) {
    const usage = await steadily(world, () => world.client.usage(only.iccid));
    assertBalance(model, only, usage);
    return;
  }
  const remaining = await remainingBytesOf(world);
  for (const esim of esims) {
    assertRemaining(model, esim, remaining.get(esim.iccid));
  }
}

/** Every eSIM's data left, from one page of `GET /v1/esims` (a run has a handful). */
export async function remainingBytesOf(world: CarrierWorld): Promise<Map<string, number>> {
  const page = await steadily(world, () => world.client.listEsims({ limit: 100 }));
  return new Map(page.data.map((e) => [e.iccid, e.balance.dataRemainingBytes]));
}

/** The same check on a balance already in hand (a data use answers with one). */
export function assertBalance(
  model: SimulationModel,
  esim: EsimModel,
  usage: { readonly dataRemainingBytes: number; readonly dataUsedBytes: number },
): void {
  if (usage.dataUsedBytes !== esim.usedBytes) {
    violated(
      'balance_mismatch',
      `eSIM ${esim.label} (${esim.iccid}) shows ${usage.dataUsedBytes} bytes used; the model counts ${esim.usedBytes}`,
    );
  }
  assertRemaining(model, esim, usage.dataRemainingBytes);
}

function assertRemaining(
  model: SimulationModel,
  esim: EsimModel,
  remaining: number | undefined,
): void {
  const range = remainingRange(model, esim);
  if (remaining === undefined || remaining < range.min || remaining > range.max) {
    violated(
      'balance_mismatch',
      `eSIM ${esim.label} (${esim.iccid}) shows ${remaining ?? 'no'} bytes left; the model allows ${range.min === range.max ? range.min : `${range.min}..${range.max}`}`,
    );
  }
}
