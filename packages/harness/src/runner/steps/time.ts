import { carrierProfiles, type Weekday } from '@esimlab/domain';
import { type StepOf, weekdayNames } from '../../scenarios/scenario-schema.ts';
import {
  durationMs,
  nextDstChange,
  nextLocalTime,
  timeZoneOf,
} from '../internal/local-time-search.ts';
import { type ScenarioWorld, StepFailure } from '../scenario-world.ts';

/** `advance`: the carrier's clock jumps forward; everything that fell due runs before it answers. */
export async function advanceClock(world: ScenarioWorld, step: StepOf<'advance'>): Promise<string> {
  const { sim } = world.client;
  if ('by' in step) {
    const { now } = await sim.advanceClock({ by: step.by });
    return `advance ${step.by} → ${now}`;
  }
  const { now } = await sim.clock();
  const from = Date.parse(now);
  let target: number;
  let what: string;
  if ('to' in step) {
    target = Date.parse(step.to);
    what = step.to;
  } else {
    const zone = timeZoneOf(step.next.timeZone ?? carrierProfiles[world.carrier].timeZone);
    if (step.next.dst !== undefined) {
      target = nextDstChange(from, zone, step.next.dst);
      what = `the next DST ${step.next.dst} in ${zone}`;
    } else {
      const [hour = 0, minute = 0] = (step.next.time ?? '00:00').split(':').map(Number);
      const weekday =
        step.next.weekday === undefined
          ? undefined
          : (weekdayNames.indexOf(step.next.weekday) as Weekday);
      target = nextLocalTime(from, zone, {
        ...(weekday === undefined ? {} : { weekday }),
        hour,
        minute,
      });
      what = `the next ${step.next.weekday ?? ''} ${step.next.time ?? '00:00'} in ${zone}`.replace(
        '  ',
        ' ',
      );
    }
    if (step.before !== undefined) {
      target -= durationMs(step.before);
      what = `${step.before} before ${what}`;
    }
  }
  const ms = target - from;
  if (ms <= 0) {
    throw new StepFailure(
      `the carrier clock is at ${now}, already past ${what}; the clock only moves forward`,
    );
  }
  // Whole milliseconds as seconds with three decimals, the finest the carrier takes.
  const after = await sim.advanceClock({ by: `PT${(ms / 1000).toFixed(3)}S` });
  return `advance to ${what} → ${after.now}`;
}

/** `wait`: wall time passes (async completions and webhook deliveries run on it). */
export async function waitFor(_world: ScenarioWorld, step: StepOf<'wait'>): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, step.ms));
  return `wait ${step.ms} ms`;
}
