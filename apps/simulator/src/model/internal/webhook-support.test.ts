import type { WebhookDelivery, WebhookDeliveryPage } from '@esimlab/client';
import { describe, expect, it } from 'vitest';
import { DELIVERY_PAGE, deliveriesOf } from './webhook-support.ts';

const delivery = (n: number): WebhookDelivery => ({
  id: `wd_${n}`,
  eventId: `evt_${n}`,
  type: 'topup.succeeded',
  status: 'delivered',
  attempts: [],
  nextAttemptAt: null,
  createdAt: new Date(1_000_000 + n).toISOString(),
});

/** An endpoint's log of `count` deliveries, served newest first a page at a time as the carrier does. */
function logOf(count: number) {
  const newestFirst = Array.from({ length: count }, (_, i) => delivery(count - 1 - i));
  const asked: { limit?: number; cursor?: string }[] = [];
  const client = {
    async webhookDeliveryPage(
      endpointId: string,
      page: { readonly limit?: number; readonly cursor?: string } = {},
    ): Promise<WebhookDeliveryPage> {
      expect(endpointId).toBe('we_1');
      asked.push({ ...page });
      const limit = page.limit ?? 100;
      const start = page.cursor === undefined ? 0 : Number(page.cursor);
      const data = newestFirst.slice(start, start + limit);
      return { data, nextCursor: start + limit < count ? String(start + limit) : null };
    },
  };
  return { world: { client, whenUp: async () => {} }, asked };
}

describe('deliveriesOf', () => {
  it.each([0, 1, DELIVERY_PAGE, DELIVERY_PAGE + 1, 2 * DELIVERY_PAGE + 50])(
    'reads every page of a log of %i deliveries, oldest first',
    async (count) => {
      const { world, asked } = logOf(count);
      const found = await deliveriesOf({ webhookEndpointId: 'we_1' }, world);
      expect(found.map((d) => d.id)).toEqual(Array.from({ length: count }, (_, n) => `wd_${n}`));
      expect(asked).toHaveLength(Math.max(1, Math.ceil(count / DELIVERY_PAGE)));
      expect(asked[0]).toEqual({ limit: DELIVERY_PAGE });
    },
  );
});
