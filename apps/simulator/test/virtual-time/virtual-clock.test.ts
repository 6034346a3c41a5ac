import { describe, expect, it } from 'vitest';
import { SimulationError } from '../../src/simulation-error.ts';
import { VirtualClock } from '../../src/virtual-time/virtual-clock.ts';
import { virtualScheduler } from '../../src/virtual-time/virtual-scheduler.ts';

const START = Date.parse('2026-03-04T11:00:00Z');

describe('the virtual clock', () => {
  it('fires timers in time order, ties in the order they were set, jumping straight to each', async () => {
    const clock = new VirtualClock(START);
    const fired: string[] = [];
    await clock.drive(async () => {
      clock.setTimer(300, () => fired.push(`c@${clock.now() - START}`));
      clock.setTimer(100, () => fired.push(`a@${clock.now() - START}`));
      clock.setTimer(300, () => fired.push(`d@${clock.now() - START}`));
      clock.setTimer(200, () => fired.push(`b@${clock.now() - START}`));
      await clock.sleep(1_000);
    });
    expect(fired).toEqual(['a@100', 'b@200', 'c@300', 'd@300']);
    expect(clock.now()).toBe(START + 1_000);
  });

  it('passes no more time than the work waits for, and returns what the work returns', async () => {
    const clock = new VirtualClock(START);
    const started = performance.now();
    const result = await clock.drive(async () => {
      await clock.sleep(60 * 60 * 1000);
      return 'done';
    });
    expect(result).toBe('done');
    expect(clock.now()).toBe(START + 60 * 60 * 1000);
    // An hour of virtual time takes no real hour.
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('lets in-process work that needs no time run before time moves on', async () => {
    const clock = new VirtualClock(START);
    const seen: number[] = [];
    await clock.drive(async () => {
      const background = (async () => {
        for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
        seen.push(clock.now());
      })();
      await clock.sleep(10);
      await background;
    });
    expect(seen).toEqual([START]);
  });

  it('never fires a cancelled timer', async () => {
    const clock = new VirtualClock(START);
    let fired = false;
    await clock.drive(async () => {
      clock
        .setTimer(50, () => {
          fired = true;
        })
        .cancel();
      await clock.sleep(100);
    });
    expect(fired).toBe(false);
  });

  it('reports a run that waits for something no timer will bring as stalled', async () => {
    const clock = new VirtualClock(START);
    const error = await clock.drive(() => new Promise(() => undefined)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimulationError);
    expect(error).toMatchObject({ code: 'simulation_stalled' });
  });

  it('refuses to drive two runs at once', async () => {
    const clock = new VirtualClock(START);
    await clock.drive(async () => {
      await expect(clock.drive(async () => undefined)).rejects.toMatchObject({
        code: 'simulation_reentered',
      });
    });
  });
});

describe('the carrier scheduler on virtual time', () => {
  it('is idle only once every due task has run, and ignores tasks scheduled for later', async () => {
    const clock = new VirtualClock(START);
    const scheduler = virtualScheduler(clock, (error) => {
      throw error;
    });
    const ran: string[] = [];
    await clock.drive(async () => {
      scheduler.schedule(0, async () => {
        await clock.sleep(5);
        ran.push('now');
      });
      scheduler.schedule(60_000, () => {
        ran.push('later');
      });
      await scheduler.idle();
      expect(ran).toEqual(['now']);
      expect(clock.now()).toBe(START + 5);
      expect(scheduler.pending).toBe(1);
    });
  });

  it('runs nothing and ends no delay once killed, as a dead process would', async () => {
    const clock = new VirtualClock(START);
    const scheduler = virtualScheduler(clock, () => undefined);
    const ran: string[] = [];
    await clock.drive(async () => {
      scheduler.schedule(10, () => {
        ran.push('task');
      });
      void scheduler.delay(10).then(() => ran.push('delay'));
      scheduler.kill();
      await clock.sleep(1_000);
    });
    expect(ran).toEqual([]);
  });
});
