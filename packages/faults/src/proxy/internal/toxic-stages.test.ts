import { seededRandom } from '@esimlab/domain';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { Toxic } from '../toxic.ts';
import { type Chunk, createToxicStage, type StageContext } from './toxic-stages.ts';

// Laws of the toxics that reshape data, checked on the stages alone (delays 0: no timers).

function context(seed: number): StageContext & { closed: number } {
  const state = {
    random: seededRandom(seed),
    signal: new AbortController().signal,
    transmitted: new Map<string, number>(),
    closed: 0,
    close() {
      state.closed++;
    },
    reset() {
      throw new Error('no toxic here resets');
    },
  };
  return state;
}

async function run(toxic: Toxic, chunks: readonly Buffer[], seed: number) {
  const ctx = context(seed);
  const stage = createToxicStage(toxic, ctx);
  const out: Buffer[] = [];
  for (const data of chunks) {
    const chunk: Chunk = { data, at: 0 };
    await stage.pass(chunk, async (next) => {
      out.push(next.data);
    });
  }
  return { out, closed: ctx.closed };
}

const chunks = fc
  .array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { maxLength: 8 })
  .map((arrays) => arrays.map((a) => Buffer.from(a)));

describe('toxic stages', () => {
  test.prop([
    chunks,
    fc
      .integer({ min: 1, max: 64 })
      .chain((average) => fc.tuple(fc.constant(average), fc.integer({ min: 0, max: average - 1 }))),
    fc.integer(),
  ])(
    'slicer passes every byte, in order, in slices of average ± variation',
    async (input, [average, variation], seed) => {
      const toxic: Toxic = {
        name: 's',
        type: 'slicer',
        stream: 'downstream',
        toxicity: 1,
        attributes: { average_size: average, size_variation: variation, delay: 0 },
      };
      const { out } = await run(toxic, input, seed);
      expect(Buffer.concat(out).equals(Buffer.concat(input))).toBe(true);
      for (const slice of out) {
        expect(slice.length).toBeGreaterThan(0);
        expect(slice.length).toBeLessThanOrEqual(average + variation);
      }
    },
  );

  test.prop([chunks, fc.integer({ min: 0, max: 1_000 })])(
    'limit_data passes exactly the first `bytes` bytes and closes once they are through',
    async (input, bytes) => {
      const toxic: Toxic = {
        name: 'l',
        type: 'limit_data',
        stream: 'downstream',
        toxicity: 1,
        attributes: { bytes },
      };
      const { out, closed } = await run(toxic, input, 0);
      const all = Buffer.concat(input);
      expect(Buffer.concat(out).equals(all.subarray(0, bytes))).toBe(true);
      expect(closed > 0).toBe(input.length > 0 && all.length >= bytes);
    },
  );
});
