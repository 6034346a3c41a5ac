import { describe, expect, it } from 'vitest';
import { HdrTrendSink } from './hdr-trend-sink.ts';

const sinkOf = (values: readonly number[]): HdrTrendSink => {
  const sink = new HdrTrendSink();
  for (const value of values) sink.add(value);
  return sink;
};

describe('HdrTrendSink', () => {
  it('interpolates between the values around the rank, as k6 does, while it holds them all', () => {
    expect(sinkOf([10, 20]).percentile(50)).toBe(15);
    const four = sinkOf([4, 1, 3, 2]);
    expect(four.percentile(50)).toBe(2.5);
    expect(four.percentile(90)).toBeCloseTo(3.7, 10);
    expect(four.percentile(0)).toBe(1);
    expect(four.percentile(100)).toBe(4);
    expect(sinkOf([7]).percentile(99)).toBe(7);
    expect(sinkOf([]).percentile(99)).toBe(0);
  });

  it('goes on answering within 0.1 % from its histogram past ten thousand values', () => {
    const sink = new HdrTrendSink();
    for (let i = 1; i <= 20_000; i++) sink.add(i / 10);
    expect(sink.count).toBe(20_000);
    expect(sink.percentile(50)).toBeCloseTo(1000, -1);
    expect(Math.abs(sink.percentile(99) - 1980) / 1980).toBeLessThan(0.001);
    expect(sink.max).toBe(2000);
  });
});
