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
