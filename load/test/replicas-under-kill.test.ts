// Load spread across three att replicas on PostgreSQL while one of them is killed
// with SIGKILL mid-run and restarted by its supervisor. Retries after the lost answers reach
// the other replicas under the same Idempotency-Key; the audit and every intent's ledger
// entries must still show no duplicate charge and no lost top-up.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningCarriers, startCarriers } from '@esimlab/carrier';
import {
  dropTestSchemas,
  newSchemaPrefix,
  requirePostgres,
  skipPostgres,
  testPostgresUrl,
} from '@esimlab/test-utils/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PurchaseStrategy,
  purchaseStrategies,
  type RechargeLoadResult,
  type RechargeResult,
  runRechargeLoad,
} from '../src/index.ts';

const REPLICAS = 3;
const KILLED = 1;

let running: RunningCarriers<'att'> | undefined;
let dataDir: string;
let result: RechargeLoadResult;
const intents: RechargeResult[] = [];
/** How each purchase request without an answer failed (reset, refused, …), by kind. */
const lostAnswers = new Map<string, number>();
let kill: {
  pid: number;
  restartedPid: number | undefined;
  restartedInMs: number;
  inFlightAtKill: number;
};
/** First purchase requests in flight on the replica to be killed (iteration n starts on n mod 3). */
let inFlightOnKilled = 0;
const firstReplicaOf = (intentKey: string) => Number(intentKey.split('-').at(-1)) % REPLICAS;

// Observes the real idempotent strategy's purchase requests; changes nothing it does.
const observed: PurchaseStrategy = {
  name: 'idempotency-key (observed)',
  purchase: (session) =>
    purchaseStrategies.idempotent.purchase({
      ...session,
      get purchaseRequests() {
        return session.purchaseRequests;
      },
      async create(identifiers) {
        const onKilled =
          session.purchaseRequests === 0 && firstReplicaOf(session.intentKey) === KILLED;
        if (onKilled) inFlightOnKilled += 1;
        const answer = await session.create(identifiers).finally(() => {
          if (onKilled) inFlightOnKilled -= 1;
        });
        if (
          answer.type === 'failure' &&
          ['reset', 'refused', 'timeout', 'other'].includes(answer.code)
        ) {
          lostAnswers.set(answer.code, (lostAnswers.get(answer.code) ?? 0) + 1);
        }
        return answer;
      },
    }),
};

async function killOneReplicaDuringTheRun(carriers: RunningCarriers<'att'>) {
  // After setup and a few seconds of steady load, at a moment when a purchase is in flight on
  // the replica: at 15/s over three replicas there is none about a third of the time.
  await sleep(4000);
  for (const giveUpAt = Date.now() + 5000; inFlightOnKilled === 0 && Date.now() < giveUpAt; ) {
    await sleep(2);
  }
  const pid = carriers.replicaPids().att[KILLED];
  if (pid === undefined) throw new Error(`replica ${KILLED} has no process to kill`);
  const killedAt = Date.now();
  const inFlightAtKill = inFlightOnKilled;
  process.kill(pid, 'SIGKILL');
  for (;;) {
    const now = carriers.replicaPids().att[KILLED];
    if (now !== undefined && now !== pid) {
      const health = await fetch(`${carriers.replicaUrls.att[KILLED]}/healthz`).catch(
        () => undefined,
      );
      if (health?.ok) {
        return { pid, restartedPid: now, restartedInMs: Date.now() - killedAt, inFlightAtKill };
      }
    }
    if (Date.now() - killedAt > 20_000) {
      return { pid, restartedPid: now, restartedInMs: -1, inFlightAtKill };
    }
    await sleep(50);
  }
}

describe.skipIf(skipPostgres)('load across att replicas on PostgreSQL, one killed mid-run', () => {
  beforeAll(async () => {
    requirePostgres();
    dataDir = await mkdtemp(join(tmpdir(), 'esimlab-load-replicas-'));
    running = await startCarriers({
      carriers: ['att'],
      ports: { att: 0 },
      store: { kind: 'postgres', url: testPostgresUrl, schemaPrefix: newSchemaPrefix() },
      replicas: REPLICAS,
      dataDir,
      logLevel: 'warn',
      onLog: () => undefined,
      startTimeoutMs: 45_000,
    });
    const carriers = running;
    const killing = killOneReplicaDuringTheRun(carriers);
    result = await runRechargeLoad({
      baseUrl: carriers.replicaUrls.att,
      scenario: 'steady',
      settings: { rate: 15, durationMs: 10_000 },
      enforcement: 'correctness',
      // A slow gateway keeps purchases in flight, so the kill cuts some of them mid-way.
      faults: {
        rules: [
          {
            kind: 'latency',
            match: { method: 'POST', path: '/v1/esims/*/topups' },
            params: { min: 100, max: 400 },
          },
        ],
      },
      subscribers: 10,
      strategy: observed,
      onIntent: (intent) => intents.push(intent),
    });
    kill = await killing;
  }, 90_000);

  afterAll(async () => {
    await running?.stop();
    await dropTestSchemas();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('spreads the run over every replica and restarts the killed one', async () => {
    expect(result.data.baseUrls).toEqual(running?.replicaUrls.att);
    // 10 s at 15/s: every scheduled iteration ran, or was counted as dropped or cut by the
    // stop; how many ran to the end depends on the machine, so only a floor that leaves the kill
    // something to cut is asserted.
    const { started, dropped, completed } = result.iterations;
    expect(started + dropped).toBeGreaterThanOrEqual(145);
    expect(completed).toBeGreaterThanOrEqual(45);
    expect(kill.restartedPid).toBeDefined();
    expect(kill.restartedPid).not.toBe(kill.pid);
    expect(kill.restartedInMs).toBeGreaterThan(0);
    // Each replica's own counter (GET /metrics is per process): the two that were not killed
    // served top-ups themselves.
    for (const replica of [0, 2]) {
      const url = running?.replicaUrls.att[replica];
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(topupRequestsIn(metrics), `top-ups served by ${url}`).toBeGreaterThan(10);
    }
  });

  it('cut purchases in flight: some lost their answer and were retried on another replica', () => {
    expect(kill.inFlightAtKill).toBeGreaterThan(0);
    const cutInFlight = [...lostAnswers].filter(([kind]) => kind !== 'refused');
    expect(cutInFlight.reduce((n, [, count]) => n + count, 0)).toBeGreaterThan(0);
    expect(result.summary.metrics.topup_retries?.values.count).toBeGreaterThan(0);
    expect(result.summary.metrics.http_req_failed?.values.passes).toBeGreaterThan(0);
  });

  it('charges no top-up twice and loses none: the audit is clean', () => {
    expect(result.summary.metrics.duplicate_charges?.values.count).toBe(0);
    expect(result.summary.metrics.lost_topups?.values.count).toBe(0);
    expect(result.audit).toMatchObject({ status: 'audited', ok: true, violations: [] });
    expect(result.iterationErrors).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('resolves every intent in the ledger, unknown ones as charged-and-credited or not charged', async () => {
    const baseUrl = running?.replicaUrls.att[0] ?? '';
    const charges = (await getJson(`${baseUrl}/_sim/gateway/charges`)) as {
      data: { id: string; status: string; idempotencyKey?: string }[];
    };
    const chargeById = new Map(charges.data.map((c) => [c.id, c]));
    expect(intents).toHaveLength(result.iterations.completed);
    const wrong: string[] = [];
    for (const intent of intents) {
      const { data: topups } = (await getJson(
        `${baseUrl}/v1/esims/${intent.iccid}/topups?clientReference=${encodeURIComponent(intent.intentKey)}`,
        true,
      )) as { data: { status: string; chargeId: string | null }[] };
      const chargeIds = new Set([
        ...topups.flatMap((t) => (t.chargeId ? [t.chargeId] : [])),
        ...charges.data
          .filter((c) => c.idempotencyKey === `topup-${intent.intentKey}`)
          .map((c) => c.id),
      ]);
      const captured = [...chargeIds].filter((id) => chargeById.get(id)?.status === 'captured');
      const credited = topups.filter((t) => t.status === 'succeeded').length;
      const holds =
        intent.outcome.status === 'ok'
          ? captured.length === 1 && credited === 1
          : intent.outcome.status === 'failed'
            ? captured.length === 0 && credited === 0
            : captured.length <= 1 && credited === captured.length;
      if (!holds) {
        wrong.push(
          `${intent.intentKey} (${intent.outcome.status}): ${captured.length} captured, ${credited} credited`,
        );
      }
    }
    expect(wrong).toEqual([]);
  });
});

function topupRequestsIn(metrics: string): number {
  return metrics
    .split('\n')
    .filter(
      (line) =>
        line.startsWith('esimlab_http_requests_total{') &&
        line.includes('method="POST"') &&
        line.includes('topups'),
    )
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

async function getJson(url: string, withKey = false): Promise<unknown> {
  const response = await fetch(url, {
    headers: withKey ? { authorization: 'Bearer sk_test_esimlab' } : {},
  });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.json();
}
