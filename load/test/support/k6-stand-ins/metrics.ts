// A stand-in for a k6 runtime module, which exists only inside the k6 binary; vitest.config.ts
// maps the k6 script's imports here so tests can load load/recharge.ts in Node.
import { k6StandInState } from './state.ts';

/** `k6/metrics`, recording what the script adds (in `k6StandInState().added`). */

class StandInMetric {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  add(value: number | boolean, tags?: Record<string, string>): void {
    k6StandInState().added.push({
      metric: this.name,
      value,
      ...(tags === undefined ? {} : { tags }),
    });
  }
}

export class Counter extends StandInMetric {}
export class Rate extends StandInMetric {}
export class Trend extends StandInMetric {}
export class Gauge extends StandInMetric {}
