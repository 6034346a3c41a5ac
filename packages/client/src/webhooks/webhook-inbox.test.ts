import { signWebhookPayload } from '@esimlab/domain';
import { describe, expect, it } from 'vitest';
import type { WebhookEvent } from '../contract/webhook.ts';
import { WebhookInbox, type WebhookWaitTimer } from './webhook-inbox.ts';

const SECRET = 'whsec_inbox';
const NOW_MS = Date.parse('2026-03-04T12:00:00Z');
const event = {
  id: 'evt_1',
  type: 'balance.low',
  createdAt: '2026-03-04T12:00:00.000Z',
  data: { iccid: '8914101234567890121' },
};
const body = JSON.stringify(event);

/** Headers as the carrier sends them, signed with `secret` at `atMs`. */
function signed(payload = body, secret = SECRET, atMs = NOW_MS): Record<string, string> {
  return {
    'content-type': 'application/json',
    'esimlab-event-id': event.id,
    'esimlab-signature': signWebhookPayload({
      secret,
      payload,
      timestampSeconds: Math.floor(atMs / 1000),
    }),
  };
}

/** A clock that only moves when told: its timers fire on `advance`. */
function manualTimer(): { setTimer: WebhookWaitTimer; advance: (ms: number) => void } {
  let now = 0;
  let timers: { at: number; fire: () => void }[] = [];
  return {
    setTimer: (delayMs, fire) => {
      const timer = { at: now + delayMs, fire };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance: (ms) => {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const timer of due) timer.fire();
    },
  };
}

describe('WebhookInbox', () => {
  it('applies a signed event once and records the delivery at the given time', async () => {
    const inbox = new WebhookInbox({ secret: SECRET });
    expect(await inbox.receive(signed(), body, NOW_MS)).toEqual({
      status: 200,
      body: { received: true, duplicate: false },
    });
    expect(inbox.applied()).toEqual([event]);
    expect(inbox.events()).toEqual([
      {
        eventId: 'evt_1',
        type: 'balance.low',
        signatureValid: true,
        duplicate: false,
        applied: true,
        status: 200,
        receivedAtMs: NOW_MS,
      },
    ]);
  });

  it('refuses a missing, wrong or stale signature with 401 and applies nothing', async () => {
    const inbox = new WebhookInbox({ secret: SECRET });
    const { 'esimlab-signature': _, ...unsigned } = signed();
    const answers = [
      await inbox.receive(unsigned, body, NOW_MS),
      await inbox.receive(signed(body, 'whsec_other'), body, NOW_MS),
      await inbox.receive(signed(body, SECRET, NOW_MS - 3_600_000), body, NOW_MS),
      await inbox.receive(signed(), `${body} `, NOW_MS),
    ];
    expect(answers.map((a) => [a.status, a.body.code])).toEqual([
      [401, 'signature_missing'],
      [401, 'signature_mismatch'],
      [401, 'timestamp_out_of_tolerance'],
      [401, 'signature_mismatch'],
    ]);
    expect(inbox.events().map((d) => [d.signatureValid, d.signatureError, d.eventId])).toEqual([
      [false, 'signature_missing', 'evt_1'],
      [false, 'signature_mismatch', 'evt_1'],
      [false, 'timestamp_out_of_tolerance', 'evt_1'],
      [false, 'signature_mismatch', 'evt_1'],
    ]);
    expect(inbox.applied()).toEqual([]);
  });

  it('accepts an old signature within a wider tolerance', async () => {
    const inbox = new WebhookInbox({ secret: SECRET, toleranceSeconds: 7_200 });
    const answer = await inbox.receive(signed(body, SECRET, NOW_MS - 3_600_000), body, NOW_MS);
    expect(answer.status).toBe(200);
  });

  it('answers 400 to a correctly signed body that is not a webhook event', async () => {
    const inbox = new WebhookInbox({ secret: SECRET });
    const notAnEvent = JSON.stringify({ id: 'evt_1' });
    const answer = await inbox.receive(signed(notAnEvent), notAnEvent, NOW_MS);
    expect(answer).toMatchObject({ status: 400, body: { code: 'invalid_event' } });
    expect(inbox.events()[0]).toMatchObject({ signatureValid: true, applied: false, status: 400 });
  });

  it('answers 503 until it knows its secret, then applies the retry', async () => {
    let secret: string | undefined;
    const inbox = new WebhookInbox({ secret: () => secret });
    expect((await inbox.receive(signed(), body, NOW_MS)).status).toBe(503);
    expect(inbox.events()[0]).toMatchObject({ signatureError: 'secret_unknown', applied: false });
    secret = SECRET;
    expect((await inbox.receive(signed(), body, NOW_MS)).status).toBe(200);
    expect(inbox.applied().map((e) => e.id)).toEqual(['evt_1']);
  });

  it('checks with the secret set later over the one it was given', async () => {
    const inbox = new WebhookInbox({ secret: 'whsec_stale' });
    inbox.setSecret(SECRET);
    expect((await inbox.receive(signed(), body, NOW_MS)).status).toBe(200);
  });

  it('answers a duplicate 200 without applying it again', async () => {
    const applied: WebhookEvent[] = [];
    const inbox = new WebhookInbox({ secret: SECRET, onEvent: (e) => void applied.push(e) });
    await inbox.receive(signed(), body, NOW_MS);
    const again = await inbox.receive(signed(), body, NOW_MS + 1_000);
    expect(again).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(applied).toHaveLength(1);
    expect(inbox.applied()).toHaveLength(1);
    expect(inbox.events().map((d) => [d.duplicate, d.applied, d.status])).toEqual([
      [false, true, 200],
      [true, false, 200],
    ]);
  });

  it('answers 500 when onEvent throws and leaves the event unapplied for the retry', async () => {
    let failures = 1;
    const inbox = new WebhookInbox({
      secret: SECRET,
      onEvent: async () => {
        if (failures-- > 0) throw new Error('database unavailable');
      },
    });
    const failed = await inbox.receive(signed(), body, NOW_MS);
    expect(failed).toMatchObject({ status: 500, body: { code: 'apply_failed' } });
    expect(inbox.applied()).toEqual([]);
    expect(inbox.events()[0]).toMatchObject({ applied: false, duplicate: false, status: 500 });
    expect((await inbox.receive(signed(), body, NOW_MS)).status).toBe(200);
    expect(inbox.applied().map((e) => e.id)).toEqual(['evt_1']);
  });

  it('applies every copy with dedupe off: the broken receiver a checker must catch', async () => {
    const inbox = new WebhookInbox({ secret: SECRET, dedupe: false });
    await inbox.receive(signed(), body, NOW_MS);
    const again = await inbox.receive(signed(), body, NOW_MS);
    expect(again).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(inbox.applied().map((e) => e.id)).toEqual(['evt_1', 'evt_1']);
    expect(inbox.events().map((d) => [d.duplicate, d.applied])).toEqual([
      [false, true],
      [true, true],
    ]);
  });

  it('settles a delivery within receiveSync when onEvent is synchronous', () => {
    const inbox = new WebhookInbox({
      secret: SECRET,
      onEvent: () => {
        throw new Error('full disk');
      },
    });
    expect(inbox.receiveSync(signed(), body, NOW_MS).status).toBe(500);
    expect(inbox.applied()).toEqual([]);
  });

  it('refuses to settle synchronously an onEvent that returns a promise, and keeps the event unclaimed', async () => {
    let calls = 0;
    const inbox = new WebhookInbox({
      secret: SECRET,
      onEvent: async () => {
        calls++;
      },
    });
    expect(() => inbox.receiveSync(signed(), body, NOW_MS)).toThrow(TypeError);
    expect((await inbox.receive(signed(), body, NOW_MS)).body).toEqual({
      received: true,
      duplicate: false,
    });
    expect(calls).toBe(2);
  });

  it('resolves waitFor with an event applied before or after the call', async () => {
    const inbox = new WebhookInbox({ secret: SECRET });
    const pending = inbox.waitFor((e) => e.id === 'evt_1');
    await inbox.receive(signed(), body, NOW_MS);
    expect(await pending).toEqual(event);
    expect(await inbox.waitFor((e) => e.type === 'balance.low')).toEqual(event);
  });

  it('times waitFor out on the timer it was given, not on real time', async () => {
    const clock = manualTimer();
    const inbox = new WebhookInbox({ secret: SECRET, setTimer: clock.setTimer });
    let settled: WebhookEvent | undefined | 'pending' = 'pending';
    const waited = inbox
      .waitFor(() => true, 30_000)
      .then((e) => {
        settled = e;
      });
    clock.advance(29_999);
    await Promise.resolve();
    expect(settled).toBe('pending');
    clock.advance(1);
    await waited;
    expect(settled).toBeUndefined();
  });

  it('releases every waiter with undefined on close', async () => {
    const inbox = new WebhookInbox({ secret: SECRET, setTimer: manualTimer().setTimer });
    const waited = inbox.waitFor(() => true);
    inbox.close();
    expect(await waited).toBeUndefined();
  });
});
