import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@esimlab/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { carrierMigrations } from '../../src/index.ts';
import { orderEsimOk } from '../esims/order-fixtures.ts';
import { json, startTestCarrier, type TestCarrier } from '../support/test-carrier.ts';
import {
  advance,
  createEndpoint,
  deliveries,
  eventually,
  type LooseJson,
  startReceiver,
  trigger,
  type WebhookReceiver,
} from './webhook-receiver.ts';

let dir: string;
let file: string;
const running: { carrier?: TestCarrier | undefined; receiver?: WebhookReceiver } = {};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'esimlab-webhooks-'));
  file = join(dir, 'att.sqlite');
});
afterEach(async () => {
  await running.carrier?.close();
  await running.receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A carrier on the test's SQLite file; a restart passes another seed so ids do not repeat. */
async function startCarrier(seed: number): Promise<TestCarrier> {
  const store = await openStore({ kind: 'sqlite', file, migrations: carrierMigrations });
  running.carrier = await startTestCarrier({ carrier: 'att', store, seed });
  return running.carrier;
}

async function orderedEsim(t: TestCarrier): Promise<string> {
  const { data } = await json(await t.api('/v1/plans'));
  return (await orderEsimOk(t, data.find((p: LooseJson) => p.kind === 'base').id)).iccid;
}

describe('webhook deliveries survive a restart', () => {
  it('delivers an event emitted while the receiver was down after the carrier restarts', async () => {
    // A port nobody listens on yet: the receiver comes up there later.
    const probe = await startReceiver();
    await probe.close();

    const first = await startCarrier(1);
    const endpoint = await createEndpoint(first, `http://127.0.0.1:${probe.port}/hooks`);
    const eventId = await trigger(first, 'topup.succeeded', await orderedEsim(first));
    await eventually(async () => {
      const [d] = await deliveries(first, endpoint.id);
      return d?.attempts.length === 1 ? d : undefined;
    });
    await first.close();
    running.carrier = undefined;

    running.receiver = await startReceiver({ port: probe.port });
    const second = await startCarrier(2);
    await advance(second, 'PT2M');

    expect(running.receiver.received.map((hook) => hook.event.id)).toEqual([eventId]);
    const [delivery] = await deliveries(second, endpoint.id);
    expect(delivery).toMatchObject({ eventId, status: 'delivered' });
    expect(delivery.attempts.map((a: LooseJson) => a.statusCode ?? a.error)).toEqual([
      expect.stringMatching(/ECONNREFUSED/),
      200,
    ]);
  });

  it('sends again on start-up a delivery whose attempt a crash cut off', async () => {
    running.receiver = await startReceiver({ answer: () => 'hang' });
    const receiver = running.receiver;
    const first = await startCarrier(1);
    const endpoint = await createEndpoint(first, receiver.url, ['esim.suspended']);
    const eventId = await trigger(first, 'esim.suspended', await orderedEsim(first));
    await receiver.waitForCount(1);
    // The carrier goes away with the attempt on the wire: no answer was ever recorded.
    await first.close();
    running.carrier = undefined;

    receiver.answer = () => 200;
    const second = await startCarrier(2);
    const hooks = await receiver.waitForCount(2);
    expect(hooks.map((hook) => hook.event.id)).toEqual([eventId, eventId]);
    const delivered = await eventually(async () => {
      const [d] = await deliveries(second, endpoint.id);
      return d?.status === 'delivered' ? d : undefined;
    });
    expect(delivered.attempts).toEqual([expect.objectContaining({ statusCode: 200 })]);
  });
});
