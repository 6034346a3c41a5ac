import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resumeInterruptedCharges } from '../../src/features/saga/payment-saga.ts';
import { TestClock } from '../../src/index.ts';
import { answerInterruptedRequests } from '../../src/replication/interrupted-work.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { activatedEsim, addon, sim, topup, topupCharges } from '../topups/topup-fixtures.ts';

let verizon: TestCarrier;
beforeEach(async () => {
  verizon = await startTestCarrier({ carrier: 'verizon' });
});
afterEach(() => verizon.close());

/**
 * Verizon accepts top-ups asynchronously: one accepted just before a crash is pending, its
 * card authorized, due a few seconds later. Start-up finishes the payments it can (step one),
 * then answers the keys of the requests they belonged to (step two). When the top-up falls
 * due between the two steps, step two found its payment finishable but unfinished, left the
 * key waiting, and the app's retries got 409 `idempotency_key_in_use` until the key expired.
 */
describe('an async top-up accepted just before a crash', () => {
  it('answers its key when the top-up falls due between the two steps of start-up', async () => {
    const { esim } = await activatedEsim(verizon);
    const boost = await addon(verizon, 'boost');
    const body = { planId: boost.id, paymentMethod: 'pm_card_visa' };
    const arm = await sim(verizon, '/_sim/crash-points', {
      method: 'POST',
      json: { point: 'after-authorize' },
    });
    expect(arm.status).toBe(200);
    // The test carrier's crash hook throws where a real carrier would exit.
    expect((await topup(verizon, esim.iccid, body, 'boost-1')).status).toBe(500);
    const [charge] = await topupCharges(verizon, esim.iccid);
    expect(charge).toMatchObject({ status: 'authorized' });

    const { context } = verizon.carrier;
    // Step one, while the top-up is not yet due: nothing to finish.
    expect(await resumeInterruptedCharges(context)).toBe(0);
    const { asyncCompletionMs } = await json(await sim(verizon, '/_sim/config'));
    if (!(context.clock instanceof TestClock)) throw new Error('expected the test clock');
    context.clock.advance(asyncCompletionMs + 1000);
    // Step two, with the top-up due.
    await answerInterruptedRequests(context);

    const retry = await topup(verizon, esim.iccid, body, 'boost-1');
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(retry)).toMatchObject({ status: 'succeeded', planId: boost.id });
    expect(await topupCharges(verizon, esim.iccid)).toMatchObject([
      { id: charge.id, status: 'captured' },
    ]);
  });
});
