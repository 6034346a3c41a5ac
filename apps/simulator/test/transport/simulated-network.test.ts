import {
  type CarrierClient,
  CarrierNetworkError,
  CarrierProblemError,
  type FaultRuleInput,
} from '@esimlab/client';
import { describe, expect, it } from 'vitest';
import { activeEsim, withSimulatedCarrier } from '../support/simulated-carrier.ts';

const purchase = { method: 'POST', path: '/v1/esims/*/topups' } as const;
const boost = { planId: 'att-boost-2gb', paymentMethod: 'pm_card_visa' } as const;

async function failureOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

async function topupCharges(client: CarrierClient, iccid: string) {
  return (await client.sim.gatewayCharges({ iccid })).filter((c) => c.purpose.kind === 'topup');
}

async function arm(client: CarrierClient, rule: FaultRuleInput): Promise<void> {
  await client.sim.addFault(rule);
}

describe('the simulated network', () => {
  it('drops a request reset before it arrives: the client sees a reset and nothing is bought', async () => {
    await withSimulatedCarrier('att', async ({ client }) => {
      const esim = await activeEsim(client, 'att');
      await arm(client, { kind: 'reset-before', match: purchase });

      const error = await failureOf(
        client.createTopup(esim.iccid, boost, { idempotencyKey: 'k1' }),
      );

      expect(error).toBeInstanceOf(CarrierNetworkError);
      expect(error).toMatchObject({ kind: 'reset', phase: 'before-response' });
      expect(await topupCharges(client, esim.iccid)).toEqual([]);
    });
  });

  it('loses the answer of a request reset after its commit: charged once, and the same key replays it', async () => {
    await withSimulatedCarrier('att', async ({ client }) => {
      const esim = await activeEsim(client, 'att');
      await arm(client, { kind: 'reset-after-commit', match: purchase, times: 1 });

      const error = await failureOf(
        client.createTopup(esim.iccid, boost, { idempotencyKey: 'k1' }),
      );
      expect(error).toMatchObject({ kind: 'reset', phase: 'before-response' });
      const [charge] = await topupCharges(client, esim.iccid);
      expect(charge?.status).toBe('captured');

      const retried = await client.createTopup(esim.iccid, boost, { idempotencyKey: 'k1' });
      expect(retried).toMatchObject({ replayed: true, topup: { chargeId: charge?.id } });
      expect(await topupCharges(client, esim.iccid)).toHaveLength(1);
    });
  });

  it("answers an error rule with the carrier's injected problem and Retry-After, without running the app", async () => {
    await withSimulatedCarrier('att', async ({ client }) => {
      const esim = await activeEsim(client, 'att');
      await arm(client, { kind: 'error', match: purchase, params: { status: 503, retryAfter: 2 } });

      const error = await failureOf(
        client.createTopup(esim.iccid, boost, { idempotencyKey: 'k1' }),
      );

      expect(error).toBeInstanceOf(CarrierProblemError);
      expect(error).toMatchObject({
        status: 503,
        code: 'upstream_unavailable',
        retryAfterMs: 2000,
      });
      expect(await topupCharges(client, esim.iccid)).toEqual([]);
    });
  });

  it('makes the client wait out its own deadline, in virtual time, on a timeout', async () => {
    await withSimulatedCarrier('att', async ({ client, clock }) => {
      const esim = await activeEsim(client, 'att');
      await arm(client, { kind: 'timeout', match: purchase });
      const before = clock.now();

      const error = await failureOf(
        client.createTopup(esim.iccid, boost, { idempotencyKey: 'k1', timeoutMs: 7_500 }),
      );

      expect(error).toMatchObject({ kind: 'timeout', phase: 'before-response' });
      expect(clock.now() - before).toBe(7_500);
      expect(await topupCharges(client, esim.iccid)).toEqual([]);
    });
  });

  it('cuts a truncated answer after its status line: the purchase went through', async () => {
    await withSimulatedCarrier('att', async ({ client }) => {
      const esim = await activeEsim(client, 'att');
      await arm(client, { kind: 'truncated', match: purchase, params: { bytes: 10 } });

      const error = await failureOf(
        client.createTopup(esim.iccid, boost, { idempotencyKey: 'k1' }),
      );

      expect(error).toMatchObject({ kind: 'truncated', phase: 'after-headers', httpStatus: 201 });
      expect((await topupCharges(client, esim.iccid)).map((c) => c.status)).toEqual(['captured']);
    });
  });

  it('delays a request by its latency, and never delivers one whose client gave up first', async () => {
    await withSimulatedCarrier('att', async ({ client, clock }) => {
      const esim = await activeEsim(client, 'att');
      await arm(client, { kind: 'latency', match: purchase, params: { ms: 300 } });
      const before = clock.now();
      await client.createTopup(esim.iccid, boost, { idempotencyKey: 'k1', timeoutMs: 1_000 });
      expect(clock.now() - before).toBe(300);

      await client.sim.clearFaults();
      await arm(client, { kind: 'latency', match: purchase, params: { ms: 5_000 } });
      const error = await failureOf(
        client.createTopup(esim.iccid, boost, { idempotencyKey: 'k2', timeoutMs: 1_000 }),
      );
      expect(error).toMatchObject({ kind: 'timeout' });
      expect(await topupCharges(client, esim.iccid)).toHaveLength(1);
    });
  });

  it('hangs up on a purchase still running at the deadline, and a reference carrier abandons it', async () => {
    await withSimulatedCarrier('tmobile', async ({ client, clock }) => {
      const esim = await activeEsim(client, 'tmobile');
      const slow = {
        planId: 'tmobile-boost-5gb',
        paymentMethod: 'pm_card_slow',
        clientReference: 'r1',
      };

      const error = await failureOf(client.createTopup(esim.iccid, slow, { timeoutMs: 1_000 }));
      expect(error).toMatchObject({ kind: 'timeout', phase: 'before-response' });
      // The slow gateway answers 3 s in; by then nobody is listening, so nothing is bought.
      await clock.sleep(10_000);

      expect(await client.listTopups(esim.iccid, { clientReference: 'r1' })).toEqual([]);
      expect(await topupCharges(client, esim.iccid)).toEqual([]);
    });
  });

  it('rolls the same faults again from the same seed', async () => {
    const outcomes = (seed: number) =>
      withSimulatedCarrier(
        'att',
        async ({ client }) => {
          await arm(client, {
            kind: 'reset-before',
            match: { path: '/v1/plans' },
            probability: 0.5,
          });
          const seen: string[] = [];
          for (let i = 0; i < 24; i++) {
            seen.push(
              await client.plans().then(
                () => 'ok',
                (error: unknown) => (error as CarrierNetworkError).kind,
              ),
            );
          }
          return seen.join(' ');
        },
        { seed },
      );

    const first = await outcomes(7);
    expect(first).toMatch(/ok/);
    expect(first).toMatch(/reset/);
    expect(await outcomes(7)).toBe(first);
    expect(await outcomes(8)).not.toBe(first);
  });

  it('refuses connections while the carrier is down and resets those it was serving', async () => {
    await withSimulatedCarrier('att', async ({ client, carrier }) => {
      const esim = await activeEsim(client, 'att');
      await client.sim.armCrashPoint('after-credit');

      const reset = await failureOf(
        client.createTopup(esim.iccid, boost, { idempotencyKey: 'k1' }),
      );
      expect(reset).toMatchObject({ kind: 'reset', phase: 'before-response' });
      expect(carrier.current).toBeUndefined();
      const refused = await failureOf(client.plans());
      expect(refused).toMatchObject({ kind: 'refused' });

      await carrier.whenUp();
      await expect(client.plans()).resolves.not.toHaveLength(0);
    });
  });
});
