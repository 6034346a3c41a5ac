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
  remainingBytes,
  topupCharges,
} from '../crash-points/carrier-at-url.ts';
import { waitFor } from '../launcher/launcher-support.ts';
import { pidOf, type ReplicaSet, startReplicaSet } from './replica-fixtures.ts';

const LEASE_MS = 2_000;

// Three att replicas whose dead are not restarted during the test (the supervisor waits a
// minute), so only the survivors can finish what a dead one left half done.
describe.skipIf(skipPostgres)('a replica that dies in the middle of a purchase', () => {
  let set: ReplicaSet;
  let boost: LooseJson;
  let iccid: string;
  let baseBytes: number;

  beforeAll(async () => {
    requirePostgres();
    set = await startReplicaSet(3, {
      replicaLeaseMs: LEASE_MS,
      restartBackoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    boost = (await plansOf(at(0))).find((p) => p.kind === 'addon' && p.addonKind === 'boost');
    ({ iccid } = await activatedEsim(at(0)));
    baseBytes = await remainingBytes(at(0), iccid);
  }, 60_000);

  afterAll(async () => {
    await set?.stop();
  });

  const at = (slot: number): CarrierAtUrl => {
    const replica = set.replicas[slot];
    if (!replica) throw new Error(`no replica ${slot}`);
    return replica;
  };

  /** Posts until the key stops answering 409 in progress: what a client's retries see. */
  const retryUntilAnswered = (slot: number, key: string, paymentMethod: string) =>
    waitFor(
      `key ${key} to be answered`,
      async () => {
        const res = await postTopup(at(slot), iccid, { planId: boost.id, paymentMethod }, key);
        if (res.status === 409) return undefined;
        return {
          status: res.status,
          replayed: res.headers.get('idempotent-replayed'),
          body: await json(res),
        };
      },
      LEASE_MS * 6,
    );

  it("leaves a live replica's slow purchase alone, even past the lease", async () => {
    // The slow gateway takes 3 s, longer than the lease: only a dead holder loses its work.
    const res = await postTopup(
      at(0),
      iccid,
      { planId: boost.id, paymentMethod: 'pm_card_slow' },
      'slow-live',
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect(await journal(at(1), { type: 'charge.taken_over' })).toEqual([]);
    const charges = (await topupCharges(at(2), iccid)).filter(
      (c) => c.idempotencyKey === 'slow-live',
    );
    expect(charges).toMatchObject([{ status: 'captured' }]);
  });

  it('is finished by another replica when it crashed after crediting, before capturing', async () => {
    const doomed = pidOf(set.running, 'att', 1);
    await at(1).api('/_sim/crash-points', { method: 'POST', json: { point: 'after-credit' } });
    const lost = await postTopup(
      at(1),
      iccid,
      { planId: boost.id, paymentMethod: 'pm_card_visa' },
      'crash-1',
    ).then(
      (res) => res.status,
      () => 'connection failed',
    );
    expect(lost).toBe('connection failed');
    await waitFor('replica 1 to exit', () =>
      set.running.replicaPids().att[1] === undefined ? true : undefined,
    );

    const taken = await waitFor(
      'a survivor to take the charge over',
      async () => {
        const [event] = await journal(at(0), { type: 'charge.taken_over' });
        return event;
      },
      LEASE_MS * 5,
    );
    expect(taken.data.from).toMatch(/^att-1-/);
    expect(taken.data.by).toMatch(/^att-[02]-/);

    // The client's retry gets the purchase the dead replica made, once its saga is done.
    const retry = await retryUntilAnswered(2, 'crash-1', 'pm_card_visa');
    expect(retry).toMatchObject({ status: 201, replayed: 'true' });
    expect(retry.body).toMatchObject({ status: 'succeeded', planId: boost.id });
    const charges = (await topupCharges(at(0), iccid)).filter(
      (c) => c.idempotencyKey === 'crash-1',
    );
    expect(charges).toMatchObject([{ status: 'captured', purpose: { ref: retry.body.id } }]);
    expect(await journal(at(2), { iccid, type: 'topup.credited' })).toHaveLength(2);
    // Nobody restarted replica 1: the survivors did it.
    expect(set.running.replicaPids().att[1]).toBeUndefined();
    expect(doomed).not.toBe(pidOf(set.running, 'att', 0));
  });

  it('releases the key of a purchase SIGKILLed before it was charged, so the retry buys once', async () => {
    const victim = pidOf(set.running, 'att', 2);
    const inFlight = postTopup(
      at(2),
      iccid,
      { planId: boost.id, paymentMethod: 'pm_card_slow' },
      'killed-1',
    ).then(
      (res) => res.status,
      () => 'connection failed',
    );
    // Inside the slow gateway's 3 s: the key is claimed, nothing is charged yet.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    process.kill(victim, 'SIGKILL');
    expect(await inFlight).toBe('connection failed');

    const busy = await postTopup(
      at(0),
      iccid,
      { planId: boost.id, paymentMethod: 'pm_card_slow' },
      'killed-1',
    );
    expect(busy.status).toBe(409);
    const retry = await retryUntilAnswered(0, 'killed-1', 'pm_card_slow');
    expect(retry).toMatchObject({ status: 201, replayed: null });
    const charges = (await topupCharges(at(0), iccid)).filter(
      (c) => c.idempotencyKey === 'killed-1',
    );
    expect(charges).toMatchObject([{ status: 'captured' }]);
  }, 30_000);

  it('ends with every purchase charged and credited exactly once', async () => {
    const charges = await topupCharges(at(0), iccid);
    expect(charges).toHaveLength(3);
    expect(charges.every((c) => c.status === 'captured')).toBe(true);
    const { data: topups } = await json(await at(0).api(`/v1/esims/${iccid}/topups`));
    expect(topups.map((t: LooseJson) => t.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const bought = topups.reduce(
      (sum: number, t: LooseJson) => sum + t.dataBytes + t.bonusBytes,
      0,
    );
    expect(await remainingBytes(at(0), iccid)).toBe(baseBytes + bought);
    expect(await auditOf(at(0))).toMatchObject({ ok: true, violations: [] });
  });
});
