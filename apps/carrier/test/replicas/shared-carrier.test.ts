import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requirePostgres, skipPostgres } from '@esimlab/test-utils/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activatedEsim,
  auditOf,
  type CarrierAtUrl,
  journal,
  json,
  type LooseJson,
  plansOf,
  postTopup,
  topupCharges,
} from '../crash-points/carrier-at-url.ts';
import { waitFor } from '../launcher/launcher-support.ts';
import { type ReplicaSet, startReplicaSet } from './replica-fixtures.ts';

// Three supervised att replicas sharing one PostgreSQL schema, for the whole file: requests
// go to different replicas, and every guarantee of one carrier process must still hold.
describe.skipIf(skipPostgres)('att as three replicas on one PostgreSQL schema', () => {
  let set: ReplicaSet;
  let replicas: readonly CarrierAtUrl[];
  let boost: LooseJson;
  let iccid: string;

  beforeAll(async () => {
    requirePostgres();
    set = await startReplicaSet(3);
    replicas = set.replicas;
    boost = (await plansOf(at(0))).find((p) => p.kind === 'addon' && p.addonKind === 'boost');
    ({ iccid } = await activatedEsim(at(0)));
  }, 60_000);

  afterAll(async () => {
    await set?.stop();
  });

  const at = (slot: number): CarrierAtUrl => {
    const replica = replicas[slot % replicas.length];
    if (!replica) throw new Error(`no replica ${slot}`);
    return replica;
  };

  const control = (slot: number, path: string, method = 'GET', body?: unknown) =>
    at(slot).api(path, { method, ...(body === undefined ? {} : { json: body }) });

  it('listens on a port of its own per replica, each answering for att', async () => {
    expect(set.running.replicaUrls.att).toHaveLength(3);
    expect(new Set(set.running.replicaUrls.att).size).toBe(3);
    expect(set.running.urls.att).toBe(set.running.replicaUrls.att[0]);
    const pids = set.running.replicaPids().att;
    expect(new Set(pids).size).toBe(3);
    for (const replica of replicas) {
      expect(await json(await replica.api('/healthz'))).toEqual({ status: 'ok', carrier: 'att' });
    }
  });

  it.each([
    ['an instant card', 'pm_card_visa'],
    ['a slow gateway', 'pm_card_slow'],
  ])(
    'charges once for one Idempotency-Key sent to every replica at once (%s)',
    async (_, method) => {
      const key = `same-key-${method}`;
      const body = { planId: boost.id, paymentMethod: method };
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const res = await postTopup(at(i), iccid, body, key);
          return { status: res.status, body: await json(res) };
        }),
      );
      for (const outcome of outcomes) {
        if (outcome.status === 201) continue;
        // The losers are told the purchase is in progress, or, rarely, to retry a lost race.
        expect([409, 503], JSON.stringify(outcome)).toContain(outcome.status);
        expect(['idempotency_key_in_use', 'transaction_conflict']).toContain(outcome.body.code);
      }
      const created = outcomes.filter((o) => o.status === 201);
      expect(created.length).toBeGreaterThan(0);
      expect(new Set(created.map((o) => o.body.id)).size).toBe(1);

      // Once it is done, every replica replays the one purchase.
      const topupId = created[0]?.body.id;
      for (const slot of [0, 1, 2]) {
        const replay = await postTopup(at(slot), iccid, body, key);
        expect(replay.status).toBe(201);
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect((await json(replay)).id).toBe(topupId);
      }
      const charges = (await topupCharges(at(1), iccid)).filter((c) => c.idempotencyKey === key);
      expect(charges).toHaveLength(1);
      expect(charges[0]).toMatchObject({ status: 'captured', purpose: { ref: topupId } });
      expect(await auditOf(at(2))).toMatchObject({ ok: true, violations: [] });
    },
  );

  it('delivers each webhook event once, whichever replica emits and whichever sends', async () => {
    const receiver = await slowReceiver(150);
    try {
      const endpoint = await json(
        await at(1).api('/v1/webhook-endpoints', {
          method: 'POST',
          json: { url: receiver.url, events: ['*'] },
        }),
      );
      const emitted = await Promise.all(
        Array.from({ length: 24 }, async (_, i) => {
          const res = await control(i, '/_sim/webhooks/trigger', 'POST', {
            type: 'topup.succeeded',
            iccid,
          });
          expect(res.status).toBe(202);
          return (await json(res)).eventId as string;
        }),
      );
      await waitFor(
        'every event to arrive',
        () => (emitted.every((id) => receiver.ids.includes(id)) ? true : undefined),
        20_000,
      );
      // Long enough for every replica's due-work tick and recovery sweep to have looked.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const times = new Map<string, number>();
      for (const id of receiver.ids) times.set(id, (times.get(id) ?? 0) + 1);
      expect([...times.entries()].filter(([, n]) => n > 1)).toEqual([]);
      expect(receiver.ids).toHaveLength(emitted.length);

      const deliveries = (
        await json(await at(2).api(`/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=100`))
      ).data as LooseJson[];
      expect(deliveries).toHaveLength(emitted.length);
      for (const delivery of deliveries) {
        expect(delivery).toMatchObject({ status: 'delivered', nextAttemptAt: null });
        expect(delivery.attempts).toHaveLength(1);
      }
    } finally {
      await receiver.close();
    }
  }, 40_000);

  it('shows a clock advance made on one replica on every other', async () => {
    const advanced = await json(await control(0, '/_sim/clock/advance', 'POST', { by: 'P1D' }));
    for (const slot of [1, 2]) {
      const clock = await json(await control(slot, '/_sim/clock'));
      expect(clock.offsetMs).toBe(advanced.offsetMs);
      expect(Date.parse(clock.now) - Date.parse(advanced.now)).toBeLessThan(5_000);
    }
    // Advances sent to two replicas add up: each grows the stored offset.
    await Promise.all([
      control(1, '/_sim/clock/advance', 'POST', { ms: 60_000 }),
      control(2, '/_sim/clock/advance', 'POST', { ms: 60_000 }),
    ]);
    const after = await json(await control(0, '/_sim/clock'));
    expect(after.offsetMs).toBe(advanced.offsetMs + 120_000);
  });

  it('shows a config change made on one replica on every other', async () => {
    const patched = await control(1, '/_sim/config', 'PATCH', { apiStyle: 'reference' });
    expect(patched.status).toBe(200);
    expect((await json(await control(0, '/_sim/config'))).apiStyle).toBe('reference');
    expect((await json(await control(2, '/_sim/config'))).apiStyle).toBe('reference');
    await control(2, '/_sim/config', 'PATCH', { apiStyle: 'idempotent' });
    expect((await json(await control(1, '/_sim/config'))).apiStyle).toBe('idempotent');
  });

  it('applies fault rules set on one replica to requests on every other', async () => {
    const rule = {
      id: 'plans-down',
      kind: 'error',
      match: { path: '/v1/plans' },
      params: { status: 503 },
    };
    expect((await control(2, '/_sim/faults', 'POST', { rules: [rule], seed: 7 })).status).toBe(200);
    for (const slot of [0, 1]) {
      const plans = await at(slot).api('/v1/plans');
      expect(plans.status).toBe(503);
      expect((await json(plans)).faultRule).toBe('plans-down');
      const listed = await json(await control(slot, '/_sim/faults'));
      expect(listed.seed).toBe(7);
      expect(listed.rules.map((r: LooseJson) => r.id)).toEqual(['plans-down']);
    }
    expect((await control(0, '/_sim/faults/plans-down', 'DELETE')).status).toBe(200);
    for (const slot of [1, 2]) expect((await at(slot).api('/v1/plans')).status).toBe(200);
  });

  it('completes async top-ups accepted anywhere once, in the advance another replica makes', async () => {
    await control(1, '/_sim/config', 'PATCH', { apiStyle: 'async', asyncCompletionMs: 3_600_000 });
    const accepted = await Promise.all(
      [1, 2, 1, 2].map(async (slot, i) => {
        const res = await postTopup(
          at(slot),
          iccid,
          { planId: boost.id, paymentMethod: 'pm_card_visa' },
          `async-${i}`,
        );
        expect(res.status).toBe(202);
        return (await json(res)) as LooseJson;
      }),
    );
    expect(accepted.every((t) => t.status === 'pending')).toBe(true);

    // Due an hour of wall time from now: only the advance can complete them, and it returns
    // once they are, though they were accepted by other replicas (whose timers still wait).
    await control(0, '/_sim/clock/advance', 'POST', { by: 'PT2H' });
    for (const topup of accepted) {
      const now = await json(await at(2).api(`/v1/topups/${topup.id}`));
      expect(now.status).toBe('succeeded');
    }
    const charges = await topupCharges(at(1), iccid);
    for (const topup of accepted) {
      expect(charges.filter((c) => c.purpose.ref === topup.id)).toMatchObject([
        { status: 'captured' },
      ]);
    }
    const captured = await journal(at(0), { iccid, type: 'charge.captured' });
    expect(new Set(captured.map((e) => e.data.chargeId)).size).toBe(captured.length);
    expect(await auditOf(at(1))).toMatchObject({ ok: true, violations: [] });
    await control(2, '/_sim/config', 'PATCH', { apiStyle: 'idempotent', asyncCompletionMs: 1000 });
  });

  it('audits on one replica while others are mid-purchase without reporting those purchases', async () => {
    const audits: Promise<LooseJson>[] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const res = await postTopup(
          at(1 + (i % 2)),
          iccid,
          { planId: boost.id, paymentMethod: 'pm_card_visa' },
          `during-audit-${i}`,
        );
        expect(res.status).toBe(201);
        if (i % 5 === 0) audits.push(auditOf(at(0)));
      }),
    );
    const reports = await Promise.all(audits);
    expect(reports).toHaveLength(8);
    for (const report of reports) {
      expect(report.violations, JSON.stringify(report.violations)).toEqual([]);
    }
  });

  it('keeps crash points to the process they were armed in, and a reset clears every replica', async () => {
    await control(1, '/_sim/crash-points', 'POST', { point: 'after-capture' });
    expect(await json(await control(1, '/_sim/crash-points'))).toEqual({
      armed: ['after-capture'],
    });
    expect(await json(await control(0, '/_sim/crash-points'))).toEqual({ armed: [] });
    await control(2, '/_sim/faults', 'PATCH', { kind: 'latency', params: { ms: 1 } });

    expect((await control(0, '/_sim/reset', 'POST')).status).toBe(204);
    for (const slot of [0, 1, 2]) {
      expect(await json(await control(slot, '/_sim/crash-points'))).toEqual({ armed: [] });
      expect((await json(await control(slot, '/_sim/clock'))).offsetMs).toBe(0);
      expect((await json(await control(slot, '/_sim/faults'))).rules).toEqual([]);
      expect((await at(slot).api(`/v1/esims/${iccid}`)).status).toBe(404);
    }
  });

  it("takes a tenant's key made on one replica on every other, and refuses it everywhere after a reset on one", async () => {
    const tenant = await json(await control(2, '/_sim/tenants', 'POST', { name: 'hooli' }));
    // Not `api`, which sends the dev key.
    const plansWithKey = (slot: number) =>
      fetch(`${at(slot).baseUrl}/v1/plans`, {
        headers: { authorization: `Bearer ${tenant.apiKey}` },
      });
    for (const slot of [0, 1, 2]) expect((await plansWithKey(slot)).status).toBe(200);

    expect((await control(1, '/_sim/reset', 'POST')).status).toBe(204);

    for (const slot of [0, 1, 2]) expect((await plansWithKey(slot)).status).toBe(401);
  });
});

/** A webhook receiver that takes `delayMs` to answer each POST, and notes each event id. */
async function slowReceiver(delayMs: number): Promise<{
  readonly url: string;
  readonly ids: string[];
  close(): Promise<void>;
}> {
  const ids: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      ids.push(JSON.parse(Buffer.concat(chunks).toString('utf8')).id);
      setTimeout(() => res.writeHead(200).end('{}'), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    ids,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
