import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCarriers, startCarriers } from '../../src/index.ts';
import {
  activatedEsim,
  auditOf,
  type CarrierAtUrl,
  carrierAt,
  json,
  type LooseJson,
  plansOf,
  postTopup,
  remainingBytes,
  topupCharges,
} from '../crash-points/carrier-at-url.ts';
import { health, logCollector, tempDataDir, waitFor } from '../launcher/launcher-support.ts';

/**
 * Jepsen-style durability: clients buy top-ups from a real supervised att carrier on SQLite
 * while a seeded schedule kill -9s it at random moments; the supervisor restarts it each
 * time. Every purchase must end charged once and credited once. Rerun a failure with its
 * seed: DURABILITY_SEED=<seed> DURABILITY_KILLS=<n> vitest run test/durability
 */
const SEED = envInt('DURABILITY_SEED', 20_261_126);
const KILLS = envInt('DURABILITY_KILLS', 20);
const CLIENTS = 3;
/**
 * Every fourth kill is timed from the spawn (0-800 ms) rather than from the first healthy
 * answer (0-400 ms): most of those land in start-up, some in start-up recovery, and they are
 * cheap; the others interrupt a serving process.
 */
const SPAWN_KILL_EVERY = 4;
const MAX_ATTEMPTS = 300;
const INTENT_DEADLINE_MS = 60_000;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be an integer ≥ 0`);
  return value;
}

/** mulberry32: a tiny seeded PRNG, so a schedule can be replayed from its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One purchase a client means to make once: one Idempotency-Key, reused on every retry. */
interface TopupIntent {
  readonly key: string;
  readonly body: { readonly planId: string; readonly paymentMethod: string };
  readonly dataBytes: number;
}

type IntentOutcome =
  | { readonly kind: 'ok'; readonly topup: LooseJson; readonly attempts: number }
  | { readonly kind: 'refused'; readonly status: number; readonly body: LooseJson }
  | { readonly kind: 'unknown'; readonly attempts: number; readonly lastError: string };

describe('top-ups to a carrier that is kill -9ed over and over', () => {
  const dataDir = tempDataDir();
  const logs = logCollector();
  let running: RunningCarriers<'att'>;
  let att: CarrierAtUrl;

  beforeAll(async () => {
    running = await startCarriers({
      carriers: ['att'],
      ports: { att: 0 },
      store: 'sqlite',
      dataDir: dataDir.path,
      onLog: logs.onLog,
      // Restarting at once keeps 20 cycles quick; the default backs off to 5 s.
      restartBackoff: { initialMs: 10, maxMs: 50 },
    });
    att = carrierAt(running.urls.att);
  });

  afterAll(async () => {
    await running?.stop();
    dataDir.remove();
  });

  it(
    'charges and credits every top-up exactly once across kill/restart cycles',
    async () => {
      const startedAt = Date.now();
      console.log(`durability: seed=${SEED} kills=${KILLS} clients=${CLIENTS}`);
      const boosts = (await plansOf(att)).filter(
        (p) => p.kind === 'addon' && p.addonKind === 'boost',
      );
      expect(boosts.length).toBeGreaterThan(0);
      const { iccid, basePlan } = await activatedEsim(att);
      const stats = { attempts: 0, connectionErrors: 0, keyInUse: 0, replayed: 0 };
      const intents: TopupIntent[] = [];
      const outcomes = new Map<string, IntentOutcome>();
      let killing = true;

      /** Sends one intent until a definite answer: retries the same key on a failed connection or a 409 in use. */
      async function settle(intent: TopupIntent): Promise<IntentOutcome> {
        const deadline = Date.now() + INTENT_DEADLINE_MS;
        let lastError = '';
        for (let attempt = 1; attempt <= MAX_ATTEMPTS && Date.now() < deadline; attempt++) {
          stats.attempts++;
          try {
            const res = await postTopup(
              att,
              iccid,
              intent.body,
              intent.key,
              AbortSignal.timeout(5000),
            );
            const body = await json(res);
            if (res.status === 201) {
              if (res.headers.get('idempotent-replayed') === 'true') stats.replayed++;
              return { kind: 'ok', topup: body, attempts: attempt };
            }
            if (res.status !== 409 || body.code !== 'idempotency_key_in_use') {
              return { kind: 'refused', status: res.status, body };
            }
            stats.keyInUse++;
            lastError = '409 idempotency_key_in_use';
          } catch (error) {
            stats.connectionErrors++;
            lastError = String((error as Error).cause ?? error);
          }
          // Refused connections are cheap on loopback: poll often, to catch a short uptime.
          await sleep(Math.min(10 * 2 ** attempt, 100));
        }
        return { kind: 'unknown', attempts: MAX_ATTEMPTS, lastError };
      }

      async function client(index: number): Promise<void> {
        const random = seededRandom(SEED + 1 + index);
        const methods = ['pm_card_visa', 'pm_card_mastercard', 'pm_paypal'];
        for (let n = 0; killing; n++) {
          const plan = boosts[Math.floor(random() * boosts.length)];
          const intent: TopupIntent = {
            key: `durability-${SEED}-${index}-${n}`,
            body: {
              planId: plan.id,
              paymentMethod: methods[Math.floor(random() * methods.length)] ?? 'pm_card_visa',
            },
            dataBytes: plan.dataBytes,
          };
          intents.push(intent);
          outcomes.set(intent.key, await settle(intent));
        }
      }

      const schedule: string[] = [];
      async function killer(): Promise<void> {
        const random = seededRandom(SEED);
        let killed: number | undefined;
        try {
          for (let k = 0; k < KILLS; k++) {
            const fromSpawn = k % SPAWN_KILL_EVERY === SPAWN_KILL_EVERY - 1;
            const delayMs = Math.floor(random() * (fromSpawn ? 800 : 400));
            const pid = await waitFor(
              'a fresh att process',
              () => {
                const current = running.pids().att;
                return current !== undefined && current !== killed ? current : undefined;
              },
              30_000,
            );
            if (!fromSpawn) {
              await waitFor(
                'att to answer',
                async () => ((await health(att.baseUrl)) ? true : undefined),
                30_000,
              );
            }
            await sleep(delayMs);
            const serving = logs.lines.some(
              (l) => l.includes(`"pid":${pid},`) && l.includes('"msg":"listening"'),
            );
            process.kill(pid, 'SIGKILL');
            killed = pid;
            schedule.push(`${fromSpawn ? 'spawn' : 'up'}+${delayMs}${serving ? '' : '(starting)'}`);
          }
        } finally {
          // Also when this fails: the clients must not go on starting intents.
          killing = false;
        }
      }

      await Promise.all([killer(), ...Array.from({ length: CLIENTS }, (_, i) => client(i))]);
      const durationMs = Date.now() - startedAt;
      // The clients may all have had their last answer before the last kill: the checks below
      // need the carrier back.
      await waitFor(
        'att to answer',
        async () => ((await health(att.baseUrl)) ? true : undefined),
        30_000,
      );

      // Every intent got a definite answer, and that answer is a succeeded top-up.
      const notOk = [...outcomes.entries()].filter(([, o]) => o.kind !== 'ok');
      expect(notOk, `seed ${SEED}: intents without a 201`).toEqual([]);
      expect(outcomes.size).toBe(intents.length);
      const acknowledged = intents.map((intent) => {
        const outcome = outcomes.get(intent.key);
        if (outcome?.kind !== 'ok') throw new Error(`intent ${intent.key} has no 201`);
        return { intent, topup: outcome.topup };
      });
      expect(new Set(acknowledged.map((a) => a.topup.id)).size).toBe(intents.length);

      const charges = await topupCharges(att, iccid);
      expect(charges).toHaveLength(intents.length);
      let expectedBytes = basePlan.dataBytes;
      for (const { intent, topup } of acknowledged) {
        expect(topup).toMatchObject({ iccid, planId: intent.body.planId, status: 'succeeded' });
        expect(topup.dataBytes).toBe(intent.dataBytes);
        const stored = await att.api(`/v1/topups/${topup.id}`);
        expect(stored.status).toBe(200);
        expect(await json(stored)).toMatchObject({
          id: topup.id,
          status: 'succeeded',
          chargeId: topup.chargeId,
        });
        const paidBy = charges.filter((c) => c.purpose.ref === topup.id);
        expect(paidBy, `charges of ${intent.key}`).toHaveLength(1);
        expect(paidBy[0]).toMatchObject({
          id: topup.chargeId,
          status: 'captured',
          idempotencyKey: intent.key,
        });
        // The key still answers with the same top-up, and charges nothing more.
        const replay = await postTopup(att, iccid, intent.body, intent.key);
        expect(replay.status).toBe(201);
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect((await json(replay)).id).toBe(topup.id);
        expectedBytes += topup.dataBytes + topup.bonusBytes;
      }
      expect(await topupCharges(att, iccid)).toHaveLength(intents.length);
      const listed = await json(await att.api(`/v1/esims/${iccid}/topups`));
      expect(listed.data).toHaveLength(intents.length);
      expect(await remainingBytes(att, iccid)).toBe(expectedBytes);

      const report = await auditOf(att);
      expect(report.violations).toEqual([]);
      expect(report.ok).toBe(true);

      expect(schedule).toHaveLength(KILLS);
      const killedServing = schedule.filter((s) => !s.endsWith('(starting)')).length;
      // Most kills must hit a process that serves, or the clients were never interrupted.
      expect(killedServing).toBeGreaterThanOrEqual(KILLS - Math.floor(KILLS / SPAWN_KILL_EVERY));
      expect(
        logs.lines.filter((l) => l.includes('[supervisor] att exited (signal SIGKILL)')),
      ).toHaveLength(KILLS);
      const resumed = logs.lines
        .filter((l) => l.includes('"msg":"resumed interrupted payments"'))
        .reduce((sum, l) => sum + Number(/"charges":(\d+)/.exec(l)?.[1] ?? 0), 0);
      console.log(
        `durability: seed=${SEED} kills=${KILLS} (${killedServing} while serving, ${KILLS - killedServing} in start-up) intents=${intents.length} attempts=${stats.attempts} connection-errors=${stats.connectionErrors} key-in-use=${stats.keyInUse} replayed-201s=${stats.replayed} payments-resumed-at-start-up=${resumed} duration=${(durationMs / 1000).toFixed(1)}s schedule=[${schedule.join(' ')}]`,
      );
    },
    30_000 + KILLS * 6_000,
  );
});
