import { MINUTE_MS } from '@esimlab/domain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resumeInterruptedCharges } from '../../src/features/saga/payment-saga.ts';
import { startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  activeEsim,
  advance,
  chargesFor,
  clockNow,
  expectCleanAudit,
  getEsim,
  journal,
  periodEnd,
  sim,
} from './renewal-fixtures.ts';

let att: TestCarrier;
beforeEach(async () => {
  att = await startTestCarrier({ carrier: 'att', seed: 44 });
});
afterEach(() => att.close());

describe('a renewal interrupted by a crash', () => {
  it.each(['after-authorize', 'after-credit'])(
    'is finished by start-up recovery when the carrier dies %s, and never renewed twice',
    async (point) => {
      const esim = await activeEsim(att, 'att-unlimited-starter');
      const lapse = Date.parse(esim.balance.expiresAt);
      expect(
        (await sim(att, '/_sim/crash-points', { method: 'POST', json: { point } })).status,
      ).toBe(200);

      // The test carrier's crash hook throws where a real carrier would exit.
      const crashed = await sim(att, '/_sim/clock/advance', {
        method: 'POST',
        json: { ms: lapse + MINUTE_MS - (await clockNow(att)) },
      });
      expect(crashed.status).toBe(500);
      expect(await chargesFor(att, esim.iccid, 'renewal')).toMatchObject([
        { status: 'authorized' },
      ]);

      expect(await resumeInterruptedCharges(att.carrier.context)).toBe(1);
      // The next advance re-runs the interrupted window: the period is already paid.
      await advance(att, 'PT1M');

      expect(await chargesFor(att, esim.iccid, 'renewal')).toMatchObject([{ status: 'captured' }]);
      expect(await getEsim(att, esim.iccid)).toMatchObject({
        status: 'active',
        balance: { expiresAt: new Date(periodEnd(lapse, 30)).toISOString() },
      });
      expect(await journal(att, { iccid: esim.iccid, type: 'plan.renewed' })).toHaveLength(1);
      await expectCleanAudit(att);
    },
  );
});
