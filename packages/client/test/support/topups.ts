import { seededRandom } from '@esimlab/domain';
import type {
  CarrierClient,
  GatewayCharge,
  PurchaseTopupOptions,
  RetryPolicy,
} from '../../src/index.ts';

/**
 * A policy for tests: short backoffs and time limits. The settle interval is far below the
 * carrier's maximum processing time, which is only safe because these tests pay with
 * instant cards: no purchase can still be in flight 100 ms after its answer was lost.
 */
export const fastRetry: Partial<RetryPolicy> = {
  baseDelayMs: 20,
  maxDelayMs: 200,
  attemptTimeoutMs: 500,
  settleMs: 100,
  asyncDeadlineMs: 10_000,
};

/** A seeded jitter source, so a failing run can be replayed. */
export function seededJitter(seed: number): NonNullable<PurchaseTopupOptions['random']> {
  const random = seededRandom(seed);
  return () => random.next();
}

/** The eSIM's top-up charges at the gateway. */
export async function topupCharges(
  client: CarrierClient,
  iccid: string,
): Promise<readonly GatewayCharge[]> {
  return (await client.sim.gatewayCharges({ iccid })).filter((c) => c.purpose.kind === 'topup');
}

export async function capturedTopupCharges(
  client: CarrierClient,
  iccid: string,
): Promise<readonly GatewayCharge[]> {
  return (await topupCharges(client, iccid)).filter((c) => c.status === 'captured');
}
