import { build, type Histogram } from 'hdr-histogram-js';

/** Trends keep microseconds: integer buckets with sub-millisecond resolution. */
const UNITS_PER_MS = 1000;

/** Up to this many values a trend keeps every one, and its percentiles are exactly k6's. */
const EXACT_VALUES = 10_000;

/**
 * A trend's values in an HDR histogram (3 significant digits, so a percentile is within
 * 0.1 % of the truth in constant memory however long the run), with the exact count, sum,
 * minimum and maximum kept beside it. While there are few values, where a percentile differs
 * most between methods (the median of 10 and 20 is 15 in k6, a nearest rank would say 10), it
 * also keeps the values themselves and answers as k6 does: linear interpolation between the
 * two values around the rank.
 */
export class HdrTrendSink {
  readonly #histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60 * 60 * UNITS_PER_MS * 1000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
  #count = 0;
  #sum = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;
  /** Every value, while there are at most EXACT_VALUES; then undefined. */
  #values: number[] | undefined = [];
  #sorted = true;

  add(value: number): void {
    this.#count += 1;
    if (this.#values !== undefined) {
      if (this.#count > EXACT_VALUES) this.#values = undefined;
      else {
        this.#values.push(value);
        this.#sorted = false;
      }
    }
    this.#sum += value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    // HDR holds non-negative integers; a negative value only counts in min and avg.
    this.#histogram.recordValue(Math.max(0, Math.round(value * UNITS_PER_MS)));
  }

  get count(): number {
    return this.#count;
  }

  get avg(): number {
    return this.#count === 0 ? 0 : this.#sum / this.#count;
  }

  get min(): number {
    return this.#count === 0 ? 0 : this.#min;
  }

  get max(): number {
    return this.#count === 0 ? 0 : this.#max;
  }

  /** The value at `percentile` (0-100); 0 without values, as k6 reports an empty trend. */
  percentile(percentile: number): number {
    if (this.#count === 0) return 0;
    const values = this.#values;
    if (values !== undefined) {
      if (!this.#sorted) {
        values.sort((a, b) => a - b);
        this.#sorted = true;
      }
      // k6's TrendSink.P: the rank p × (n - 1), interpolated between its neighbours.
      const rank = (Math.min(Math.max(percentile, 0), 100) / 100) * (values.length - 1);
      const below = values[Math.floor(rank)] ?? 0;
      const above = values[Math.ceil(rank)] ?? below;
      return below + (above - below) * (rank - Math.floor(rank));
    }
    const value = this.#histogram.getValueAtPercentile(percentile) / UNITS_PER_MS;
    // HDR answers a bucket's upper edge; never beyond what was recorded.
    return Math.min(Math.max(value, this.min), this.max);
  }
}
