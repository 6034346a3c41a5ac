import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRASH_EXIT_CODE, type RunningCarriers, startCarriers } from '../../src/index.ts';
import { crashPoints } from '../../src/runtime/crash-points.ts';
import {
  health,
  isRunning,
  logCollector,
  tempDataDir,
  waitFor,
} from '../launcher/launcher-support.ts';
import {
  activatedEsim,
  auditOf,
  type CarrierAtUrl,
  carrierAt,
  journal,
  json,
  type LooseJson,
  plansOf,
  postTopup,
  remainingBytes,
  topupCharges,
} from './carrier-at-url.ts';

// One real supervised att carrier on SQLite for the whole file: it is started with a crash
// point armed (the `crashPoints` option), then each case re-arms one through the control plane.
describe('a supervised att carrier that crashes inside the payment saga', () => {
  const dataDir = tempDataDir();
  const logs = logCollector();
  let running: RunningCarriers<'att'>;
  let att: CarrierAtUrl;
  let boost: LooseJson;

  beforeAll(async () => {
    running = await startCarriers({
      carriers: ['att'],
      ports: { att: 0 },
      store: 'sqlite',
      dataDir: dataDir.path,
      onLog: logs.onLog,
      crashPoints: { att: ['after-credit'] },
      // Five crashes in a row would otherwise wait 100 + 200 + … + 1600 ms for their restarts.
      restartBackoff: { initialMs: 50, maxMs: 200 },
    });
    att = carrierAt(running.urls.att);
    boost = (await plansOf(att)).find((p) => p.kind === 'addon' && p.addonKind === 'boost');
  });

  afterAll(async () => {
    await running?.stop();
    dataDir.remove();
  });

  const currentPid = (): number => {
    const pid = running.pids().att;
    if (pid === undefined) throw new Error('att is not running');
    return pid;
  };

  /** Waits until a process other than `before` answers /healthz on the same URL. */
  const awaitRestart = (before: number): Promise<number> =>
    waitFor(
      'the supervisor to restart att',
      async () => {
        const pid = running.pids().att;
        if (pid === undefined || pid === before) return undefined;
        return (await health(att.baseUrl)) === undefined ? undefined : pid;
      },
      20_000,
    );

  /** What a top-up request came to: a response, or a connection that failed. */
  const attempt = (iccid: string, key: string) =>
    postTopup(att, iccid, { planId: boost.id, paymentMethod: 'pm_card_visa' }, key).then(
      async (res) => ({
        status: res.status,
        replayed: res.headers.get('idempotent-replayed'),
        body: await res.text(),
      }),
      (error: Error) => ({ status: 'connection failed' as const, error }),
    );

  /** The JSON body of an attempt that got an answer. */
  const bodyOf = (outcome: Awaited<ReturnType<typeof attempt>>): LooseJson => {
    if (outcome.status === 'connection failed') throw outcome.error;
    return JSON.parse(outcome.body);
  };

  /**
   * Asserts the purchase behind `topup` was charged once, credited once and reads back as
   * succeeded, and that the audit finds nothing wrong.
   */
  async function expectChargedAndCreditedOnce(
    iccid: string,
    key: string,
    topup: LooseJson,
    baseBytes: number,
  ): Promise<void> {
    expect(topup).toMatchObject({ iccid, planId: boost.id, status: 'succeeded' });
    expect(topup.dataBytes).toBe(boost.dataBytes);

    const charges = await topupCharges(att, iccid);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({
      id: topup.chargeId,
      status: 'captured',
      purpose: { kind: 'topup', ref: topup.id },
      idempotencyKey: key,
    });
    const stored = await att.api(`/v1/topups/${topup.id}`);
    expect(stored.status).toBe(200);
    expect(await json(stored)).toMatchObject({ id: topup.id, status: 'succeeded' });

    expect(await remainingBytes(att, iccid)).toBe(baseBytes + topup.dataBytes + topup.bonusBytes);
    expect(await journal(att, { iccid, type: 'topup.credited' })).toHaveLength(1);
    const captures = await journal(att, { iccid, type: 'charge.captured' });
    expect(captures.filter((e) => e.data.chargeId === topup.chargeId)).toHaveLength(1);

    const report = await auditOf(att);
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
  }

  it('fires a point armed at start-up once, then stays up: restarts run without it', async () => {
    expect(logs.lines.find((l) => l.includes('"msg":"listening"'))).toContain(
      '"crashPoints":["after-credit"]',
    );
    const armedAtStart = await json(await att.api('/_sim/crash-points'));
    expect(armedAtStart).toEqual({ armed: ['after-credit'] });

    // Ordering and activating an eSIM are not sagas: the point waits for the top-up.
    const { iccid, basePlan } = await activatedEsim(att);
    const first = currentPid();
    const crashed = await attempt(iccid, 'armed-at-start');
    expect(crashed.status).toBe('connection failed');
    const second = await awaitRestart(first);
    expect(isRunning(first)).toBe(false);

    const retry = await attempt(iccid, 'armed-at-start');
    expect(retry).toMatchObject({ status: 201, replayed: 'true' });
    await expectChargedAndCreditedOnce(iccid, 'armed-at-start', bodyOf(retry), basePlan.dataBytes);

    // The restarted process was not armed again: another purchase goes straight through.
    expect(await json(await att.api('/_sim/crash-points'))).toEqual({ armed: [] });
    const another = await attempt(iccid, 'after-the-restart');
    expect(another.status).toBe(201);
    expect(currentPid()).toBe(second);
    const listening = logs.lines.filter((l) => l.includes('"msg":"listening"'));
    expect(listening).toHaveLength(2);
    expect(listening[1]).not.toContain('crashPoints');
    expect(
      logs.lines.filter((l) => l.includes('carrier crashing on purpose: crash point after-credit')),
    ).toHaveLength(1);
  });

  it.each(crashPoints)(
    'recovers a top-up interrupted at %s: the retried key gets it charged and credited once',
    async (point) => {
      const { iccid, basePlan } = await activatedEsim(att);
      expect(await remainingBytes(att, iccid)).toBe(basePlan.dataBytes);
      const armed = await att.api('/_sim/crash-points', { method: 'POST', json: { point } });
      expect(armed.status).toBe(200);
      expect((await json(armed)).armed).toEqual([point]);
      const key = `crash-at-${point}`;
      const logsBefore = logs.lines.length;
      const before = currentPid();

      // The process exits inside the request: the client sees its connection fail.
      const crashed = await attempt(iccid, key);
      expect(crashed.status).toBe('connection failed');
      const after = await awaitRestart(before);
      expect(isRunning(before)).toBe(false);

      // Recovery finished the purchase and stored its answer under the key: the retry replays it.
      const retry = await attempt(iccid, key);
      expect(retry).toMatchObject({ status: 201, replayed: 'true' });
      const topup = bodyOf(retry);
      await expectChargedAndCreditedOnce(iccid, key, topup, basePlan.dataBytes);
      // The same answer again, from the stored key: still one charge.
      const replay = await postTopup(
        att,
        iccid,
        { planId: boost.id, paymentMethod: 'pm_card_visa' },
        key,
      );
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect((await json(replay)).id).toBe(topup.id);
      expect(await topupCharges(att, iccid)).toHaveLength(1);
      expect(currentPid()).toBe(after);

      const text = logs.lines.slice(logsBefore).join('\n');
      expect(text).toContain(`[att] carrier crashing on purpose: crash point ${point}`);
      expect(text).toContain(`[supervisor] att exited (code ${CRASH_EXIT_CODE}); restarting in`);
      expect(text).toContain(`[supervisor] att is back on ${att.baseUrl}`);
      // A crash before the capture leaves the charge authorized: start-up recovery finishes it.
      const resumed = point === 'after-authorize' || point === 'after-credit';
      expect(text.includes('"msg":"resumed interrupted payments"')).toBe(resumed);
    },
  );
});
