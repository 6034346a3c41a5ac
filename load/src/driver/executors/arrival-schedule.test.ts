import { describe, expect, it } from 'vitest';
import { planScenario } from '../../scenarios/load-scenarios.ts';
import { arrivalSchedule } from './arrival-schedule.ts';

const dueTimes = (schedule: ReturnType<typeof arrivalSchedule>) =>
  Array.from({ length: schedule.total }, (_, i) => schedule.dueAtMs(i));

describe('arrivalSchedule', () => {
  it('spaces a constant rate evenly, the first iteration at once, rate × duration in all', () => {
    const schedule = arrivalSchedule({
      executor: 'constant-arrival-rate',
      rate: 20,
      timeUnit: '1s',
      duration: '3s',
      preAllocatedVUs: 1,
      maxVUs: 1,
      gracefulStop: '1s',
    });
    expect(schedule.total).toBe(60);
    expect(schedule.durationMs).toBe(3000);
    expect(dueTimes(schedule).slice(0, 4)).toEqual([0, 50, 100, 150]);
    expect(schedule.dueAtMs(59)).toBeCloseTo(2950);
  });

  it('reads the rate per timeUnit', () => {
    const schedule = arrivalSchedule({
      executor: 'constant-arrival-rate',
      rate: 30,
      timeUnit: '1m',
      duration: '10s',
      preAllocatedVUs: 1,
      maxVUs: 1,
      gracefulStop: '1s',
    });
    expect(schedule.total).toBe(5);
    expect(schedule.dueAtMs(1)).toBeCloseTo(2000);
  });

  it('ramps linearly: a stage from 0 to 10/s over 2s holds 10 iterations, due ever closer', () => {
    const schedule = arrivalSchedule({
      executor: 'ramping-arrival-rate',
      startRate: 0,
      timeUnit: '1s',
      stages: [
        { duration: '2s', target: 10 },
        { duration: '1s', target: 10 },
      ],
      preAllocatedVUs: 1,
      maxVUs: 1,
      gracefulStop: '1s',
    });
    // ∫ rate: 10 in the ramp (a triangle), 10 at the plateau.
    expect(schedule.total).toBe(20);
    const times = dueTimes(schedule);
    // In the ramp, k iterations are due by t where 10·t²/(2·2 s) = k.
    expect(times[5]).toBeCloseTo(Math.sqrt((5 * 2 * 2000 * 1000) / 10), 0);
    const gaps = times.slice(1, 10).map((t, i) => t - (times[i] ?? 0));
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeLessThan(gaps[i - 1] ?? 0);
    expect(times[10]).toBeCloseTo(2000, 0);
    expect(times[19]).toBeCloseTo(2900, 0);
  });

  it('never schedules an iteration out of order or past the end', () => {
    const spike = planScenario('spike', { rate: 7, durationMs: 9000 }).executor;
    if (spike.executor !== 'ramping-arrival-rate') throw new Error('spike ramps');
    const schedule = arrivalSchedule(spike);
    const times = dueTimes(schedule);
    for (let i = 1; i < times.length; i++)
      expect(times[i]).toBeGreaterThanOrEqual(times[i - 1] ?? 0);
    expect(times.at(-1)).toBeLessThan(schedule.durationMs);
    // 20 % and 30 % at 7/s, a 10 % ramp each way to 35/s, 30 % at 35/s.
    const expected = 7 * (0.2 * 9 + 0.3 * 9) + ((7 + 35) / 2) * (0.1 * 9) * 2 + 35 * 0.3 * 9;
    expect(schedule.total).toBe(Math.ceil(expected - 1e-6));
  });
});
