import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resumeInterruptedCharges } from '../../src/features/saga/payment-saga.ts';
import {
  activeEsim,
  advance,
  cancel,
  chargesFor,
  expectCleanAudit,
  getEsim,
  ledgerEntries,
  sim,
} from '../renewals/renewal-fixtures.ts';
import { startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let att: TestCarrier;
beforeEach(async () => {
  att = await startTestCarrier({ carrier: 'att', seed: 45 });
});
afterEach(() => att.close());

describe('an early-termination fee interrupted by a crash', () => {
  it.each([
    ['after-authorize', 'active'],
    ['after-credit', 'cancelled'],
  ])('is finished by start-up recovery when the carrier dies %s', async (point, statusAtCrash) => {
    const esim = await activeEsim(att, 'att-value-plus');
    await advance(att, 'P2D');
    expect((await sim(att, '/_sim/crash-points', { method: 'POST', json: { point } })).status).toBe(
      200,
    );

    // The test carrier's crash hook throws where a real carrier would exit.
    expect((await cancel(att, esim.iccid)).status).toBe(500);
    expect(await chargesFor(att, esim.iccid, 'fee')).toMatchObject([{ status: 'authorized' }]);
    expect((await getEsim(att, esim.iccid)).status).toBe(statusAtCrash);

    expect(await resumeInterruptedCharges(att.carrier.context)).toBe(1);

    expect(await chargesFor(att, esim.iccid, 'fee')).toMatchObject([{ status: 'captured' }]);
    expect((await getEsim(att, esim.iccid)).status).toBe('cancelled');
    const fees = (await ledgerEntries(att, esim.iccid)).filter((e) => e.type === 'fee_assessed');
    expect(fees).toHaveLength(1);
    const again = await cancel(att, esim.iccid);
    expect(again.status).toBe(409);
    await expectCleanAudit(att);
  });
});
