import type { StepOf } from '../../scenarios/scenario-schema.ts';
import { bytesOf } from '../internal/expect-problem.ts';
import { type ScenarioWorld, StepFailure } from '../scenario-world.ts';

type Expect = StepOf<'expect'>;

/**
 * `expect`: what the carrier and the receivers show must match. Checks are repeated for up
 * to `within` ms, since async completions and webhook deliveries land on wall time.
 */
export async function checkExpectations(world: ScenarioWorld, step: Expect): Promise<string> {
  const deadline = Date.now() + step.within;
  for (;;) {
    const mismatches = await mismatchesOf(world, step);
    if (mismatches.length === 0) return `expect ${describe(step)}`;
    if (Date.now() >= deadline) {
      throw new StepFailure(mismatches.join('; '));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function describe(step: Expect): string {
  const parts = [
    ...Object.keys(step.balance ?? {}).map((e) => `balance of ${e}`),
    ...Object.keys(step.charges ?? {}).map((e) => `charges of ${e}`),
    ...Object.keys(step.state ?? {}).map((e) => `state of ${e}`),
    ...Object.entries(step.intents ?? {}).map(([t, s]) => `${t} ${s}`),
    ...Object.keys(step.events ?? {}).map((r) => `events at ${r}`),
    ...(step.journal ? ['journal'] : []),
    ...(step.audit ? ['audit clean'] : []),
  ];
  return parts.join(', ') || 'nothing';
}

async function mismatchesOf(world: ScenarioWorld, step: Expect): Promise<string[]> {
  const found: string[] = [];
  const differ = (what: string, expected: unknown, actual: unknown) => {
    if (expected !== undefined && expected !== actual) {
      found.push(`${what}: expected ${String(expected)}, got ${String(actual)}`);
    }
  };

  for (const [name, want] of Object.entries(step.balance ?? {})) {
    const esim = world.esim(name);
    const [usage, view] = await Promise.all([
      esim.client.usage(esim.iccid),
      want.expiresAt === undefined ? undefined : esim.client.getEsim(esim.iccid),
    ]);
    if (want.dataRemainingBytes !== undefined) {
      differ(`${name} data remaining`, bytesOf(want.dataRemainingBytes), usage.dataRemainingBytes);
    }
    differ(`${name} throttled`, want.throttled, usage.throttled);
    if (want.expiresAt !== undefined) {
      const actual = view?.balance.expiresAt;
      if (
        actual === null ||
        actual === undefined ||
        Date.parse(actual) !== Date.parse(want.expiresAt)
      ) {
        found.push(`${name} expiresAt: expected ${want.expiresAt}, got ${String(actual)}`);
      }
    }
  }

  for (const [name, want] of Object.entries(step.charges ?? {})) {
    const esim = world.esim(name);
    const charges = await world.client.sim.gatewayCharges({ iccid: esim.iccid });
    const count = (status: string) => charges.filter((c) => c.status === status).length;
    differ(`${name} captured charges`, want.captured, count('captured'));
    differ(`${name} authorized charges`, want.authorized, count('authorized'));
    differ(`${name} voided charges`, want.voided, count('voided'));
    differ(`${name} refunded charges`, want.refunded, count('refunded'));
    const capturedAmount = charges
      .filter((c) => c.status === 'captured')
      .reduce((sum, c) => sum + c.amount.amount, 0);
    differ(`${name} captured amount (cents)`, want.capturedAmount, capturedAmount);
  }

  for (const [name, want] of Object.entries(step.state ?? {})) {
    const esim = world.esim(name);
    const view = await esim.client.getEsim(esim.iccid);
    differ(`${name} status`, want.status, view.status);
    differ(`${name} profile state`, want.state, view.state);
    differ(`${name} autoRenew`, want.autoRenew, view.autoRenew);
  }

  for (const [name, want] of Object.entries(step.intents ?? {})) {
    const intentId = world.topups.get(name);
    const intent = intentId === undefined ? undefined : world.intents.get(intentId);
    if (intent === undefined) found.push(`no top-up named ${name}`);
    else differ(`top-up ${name} outcome`, want, intent.outcome);
  }

  for (const [name, want] of Object.entries(step.events ?? {})) {
    const applied = world.receiver(name).receiver.applied();
    const types = new Set(applied.map((e) => e.type));
    const missing = (want.received ?? []).filter((t) => !types.has(t));
    if (missing.length > 0) {
      found.push(
        `${name} has not received ${missing.join(', ')} (got ${[...types].join(', ') || 'nothing'})`,
      );
    }
    differ(`${name} distinct events applied`, want.applied, new Set(applied.map((e) => e.id)).size);
  }

  if (step.journal !== undefined) {
    const types = new Set((await world.client.sim.events({ limit: 1000 })).data.map((e) => e.type));
    const missing = step.journal.filter((t) => !types.has(t));
    if (missing.length > 0) found.push(`the journal has no ${missing.join(', ')}`);
  }

  if (step.audit === 'clean') {
    const report = await world.client.sim.audit();
    if (!report.ok) {
      found.push(`the carrier audit reports ${report.violations.map((v) => v.kind).join(', ')}`);
    }
  }
  return found;
}
