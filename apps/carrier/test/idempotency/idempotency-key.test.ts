import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody } from '../esims/order-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';

let att: TestCarrier;
beforeAll(async () => {
  att = await startTestCarrier({ carrier: 'att' });
});
afterAll(() => att.close());

const order = (key: string, body: unknown) =>
  att.api('/v1/esims', { method: 'POST', json: body, headers: { 'idempotency-key': key } });

describe('Idempotency-Key on POST /v1/esims', () => {
  it('replays a final decline, so a retry never charges a card that was declined', async () => {
    const body = orderBody('att-prepaid-16gb', { paymentMethod: 'pm_card_chargeDeclined' });
    const first = await order('declined-1', body);
    const second = await order('declined-1', body);
    expect(first.status).toBe(402);
    expect(second.status).toBe(402);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(second)).toEqual(await json(first));
  });

  it('does not replay a retryable failure: the retry with the same key runs again', async () => {
    const body = orderBody('att-prepaid-16gb', { paymentMethod: 'pm_card_processingError' });
    const first = await order('retryable-1', body);
    expect(first.status).toBe(402);
    expect(first.headers.get('retry-after')).not.toBeNull();
    const second = await order('retryable-1', body);
    expect(second.status).toBe(402);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    // The key was released, so it may now carry the corrected purchase.
    const third = await order('retryable-1', orderBody('att-prepaid-16gb'));
    expect(third.status).toBe(201);
  });
});
