import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCarriers, startLocalCarriers } from '../../test/support/local-carriers.ts';
import { runRechargeBench } from './recharge-load.ts';

let carriers: LocalCarriers<'att'>;

beforeAll(async () => {
  carriers = await startLocalCarriers(['att']);
}, 60_000);

afterAll(async () => {
  await carriers?.stop();
});

interface GatewayCharge {
  readonly status: string;
  readonly purpose: { readonly kind: string };
}

async function topupCharges(baseUrl: string): Promise<GatewayCharge[]> {
  const response = await fetch(`${baseUrl}/_sim/gateway/charges`);
  expect(response.status).toBe(200);
  const { data } = (await response.json()) as { data: GatewayCharge[] };
  return data.filter((charge) => charge.purpose.kind === 'topup');
}

/** Half a second of four VUs on three subscribers, the carrier reset by the run's setup. */
const briefRun = (name: string, replay: boolean) =>
  runRechargeBench({
    name,
    baseUrl: carriers.urls.att,
    load: { kind: 'saturation', connections: 4 },
    durationMs: 500,
    subscribers: 3,
    replay,
  });

describe('the recharge benchmark', () => {
  it('buys one top-up per iteration', async () => {
    const run = await briefRun('recharge', false);
    expect(run.replay).toBe(false);
    expect(run.outcomes.ok).toBeGreaterThan(0);
    expect(run.outcomes).toMatchObject({ failed: 0, unknown: 0 });
    expect(run.audit).toMatchObject({ status: 'audited', ok: true });
    const charges = await topupCharges(carriers.urls.att);
    expect(charges).toHaveLength(run.outcomes.ok);
  });

  it('replays one purchase: every answer after the first comes from its key', async () => {
    const run = await briefRun('recharge-replay', true);
    expect(run.replay).toBe(true);
    // Setup's purchase is not in the window: these are all answers to the same request.
    expect(run.outcomes.ok).toBeGreaterThan(10);
    expect(run.outcomes).toMatchObject({ failed: 0, unknown: 0 });
    expect(run.retries).toBe(0);
    expect(run.audit).toMatchObject({ status: 'audited', ok: true });
    // The run's seeding reset the carrier: one top-up was bought, and captured once.
    const charges = await topupCharges(carriers.urls.att);
    expect(charges.map((charge) => charge.status)).toEqual(['captured']);
  });
});
