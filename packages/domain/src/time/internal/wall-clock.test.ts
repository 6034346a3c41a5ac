import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { readWallClock, readWallClockParts, wallClockFormatter } from './wall-clock.ts';

const zones = ['UTC', 'America/New_York', 'Pacific/Chatham', 'Asia/Kathmandu', 'America/Santiago'];

test.prop([fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.constantFrom(...zones)])(
  'reads the same wall clock from the formatted text as from the formatted parts',
  (at, zone) => {
    expect(readWallClock(at, zone)).toEqual(readWallClockParts(wallClockFormatter(zone), at));
  },
);

test.prop([
  fc.array(
    fc.record({
      at: fc.oneof(
        fc.integer({ min: -8.64e15, max: 8.64e15 }),
        // Instants a few milliseconds apart, across second boundaries on both sides of 1970.
        fc.integer({ min: -3_000, max: 3_000 }),
        fc.integer({ min: 1_800_000_000_000, max: 1_800_000_003_000 }),
      ),
      zone: fc.constantFrom(...zones),
    }),
    { minLength: 1, maxLength: 40 },
  ),
])('gives every reading in a sequence of nearby instants and zones its own wall clock', (reads) => {
  for (const { at, zone } of reads) {
    expect(readWallClock(at, zone)).toEqual(readWallClockParts(wallClockFormatter(zone), at));
  }
});
