import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sim } from '../devices/device-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import { activatedEsim, addon, topup } from '../topups/topup-fixtures.ts';

let att: TestCarrier;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
});
afterAll(() => att.close());

describe('POST /_sim/reset and crash points', () => {
  it('disarms every armed crash point, so the next run is not killed by the last one', async () => {
    for (const point of ['after-authorize', 'after-credit', 'before-response']) {
      const res = await sim(att, '/_sim/crash-points', { method: 'POST', json: { point } });
      expect(res.status).toBe(200);
    }
    expect((await json(await sim(att, '/_sim/crash-points'))).armed).toHaveLength(3);

    expect((await sim(att, '/_sim/reset', { method: 'POST' })).status).toBe(204);

    expect((await json(await sim(att, '/_sim/crash-points'))).armed).toEqual([]);
    // The in-process carrier's crash hook throws: an armed point would turn this into a 500.
    const { esim } = await activatedEsim(att);
    const boost = await addon(att, 'boost');
    const res = await topup(
      att,
      esim.iccid,
      { planId: boost.id, paymentMethod: 'pm_card_visa' },
      'k1',
    );
    expect(res.status).toBe(201);
  });
});
