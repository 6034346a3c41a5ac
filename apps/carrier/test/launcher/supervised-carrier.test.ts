import { afterAll, describe, expect, it } from 'vitest';
import { carrierProcessBundle } from '../../src/launcher/carrier-process-bundle.ts';
import { SupervisedCarrier } from '../../src/launcher/supervised-carrier.ts';
import { health, isRunning, waitFor } from './launcher-support.ts';

/** The real bundle, except that the next `failures` calls fail as a broken source would. */
function flakyBundle() {
  const bundle = {
    calls: 0,
    failures: 0,
    async file(): Promise<string> {
      bundle.calls += 1;
      if (bundle.failures > 0) {
        bundle.failures -= 1;
        throw new Error('seed-subscribers.ts:51:38: ERROR: Expected identifier');
      }
      return carrierProcessBundle.file();
    },
  };
  return bundle;
}

describe('a supervised carrier whose code cannot be rebuilt for a restart', () => {
  const lines: string[] = [];
  const bundle = flakyBundle();
  const carrier = new SupervisedCarrier({
    config: {
      carrier: 'att',
      host: '127.0.0.1',
      port: 0,
      store: { kind: 'memory' },
      logLevel: 'warn',
      drainGraceMs: 1000,
      checkNestedTransactions: true,
    },
    replica: { index: 0 },
    label: 'att',
    urlHost: '127.0.0.1',
    onOutput: () => undefined,
    onSupervisorLine: (line) => lines.push(line),
    backoff: { initialMs: 50, maxMs: 1000, resetAfterMs: 60_000 },
    bundle,
  });
  afterAll(() => carrier.stop(5000));

  it('says why, backs off, and restarts once the code builds again', async () => {
    await carrier.start(30_000);
    const first = carrier.pid;
    if (first === undefined) throw new Error('att did not start');
    expect(bundle.calls).toBe(1);

    bundle.failures = 2;
    process.kill(first, 'SIGKILL');
    await waitFor(
      'att to be back',
      () => (lines.some((line) => line.includes('att is back on')) ? true : undefined),
      60_000,
    );

    expect(lines).toEqual([
      'att exited (signal SIGKILL); restarting in 50 ms',
      'att could not rebuild its code: seed-subscribers.ts:51:38: ERROR: Expected identifier; restarting in 100 ms',
      'att could not rebuild its code: seed-subscribers.ts:51:38: ERROR: Expected identifier; restarting in 200 ms',
      `att is back on ${carrier.url}`,
    ]);
    expect(bundle.calls).toBe(4);
    const second = carrier.pid;
    expect(second).not.toBe(first);
    expect(isRunning(first)).toBe(false);
    expect(await health(carrier.url)).toMatchObject({ carrier: 'att' });
  }, 90_000);
});
