import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rssAtMarks, sampleRss } from './rss-sampler.ts';

describe.runIf(existsSync('/proc/self/status'))('sampleRss', () => {
  it('reads a live process resident set from /proc with the top-ups at that moment', async () => {
    let topups = 0;
    const sampler = sampleRss(
      () => process.pid,
      () => ++topups,
      10,
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    sampler.stop();
    expect(sampler.samples.length).toBeGreaterThan(2);
    const rss = process.memoryUsage().rss;
    // The same process, read two ways a moment apart: within a factor of two.
    expect(sampler.maxBytes).toBeGreaterThan(rss / 2);
    expect(sampler.maxBytes).toBeLessThan(rss * 2);
    expect(sampler.samples.map((s) => s.topups)).toEqual(
      [...sampler.samples.map((s) => s.topups)].sort((a, b) => a - b),
    );
  });

  it('skips a process that is not there', async () => {
    const sampler = sampleRss(
      () => undefined,
      () => 0,
      5,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    sampler.stop();
    expect(sampler.samples).toEqual([]);
  });
});

describe('rssAtMarks', () => {
  it('takes the first sample at or past every tenth of the goal', () => {
    const samples = [0, 40, 100, 160, 250].map((topups, i) => ({
      atMs: i,
      rssBytes: 1000 + topups,
      topups,
    }));
    expect(rssAtMarks(samples, 200)).toEqual([
      { topups: 0, rssBytes: 1000 },
      { topups: 20, rssBytes: 1040 },
      { topups: 40, rssBytes: 1040 },
      { topups: 60, rssBytes: 1100 },
      { topups: 80, rssBytes: 1100 },
      { topups: 100, rssBytes: 1100 },
      { topups: 120, rssBytes: 1160 },
      { topups: 140, rssBytes: 1160 },
      { topups: 160, rssBytes: 1160 },
      { topups: 180, rssBytes: 1250 },
      { topups: 200, rssBytes: 1250 },
    ]);
  });
});
